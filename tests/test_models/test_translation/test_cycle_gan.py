"""CycleGAN: loss terms by hand, and which optimizer changes what."""
import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
from mmseg.structures import SegDataSample

TOY_G = dict(type='ResnetGenerator', base_channels=4, num_blocks=1)
TOY_D = dict(type='PatchDiscriminator', base_channels=4, num_layers=2,
             padding=1)


@pytest.fixture(autouse=True)
def mmseg_scope():
    init_default_scope('mmseg')


def _model(**kwargs):
    cfg = dict(type='CycleGAN', generator=TOY_G, discriminator=TOY_D)
    cfg.update(kwargs)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def _images(seed, n=1, h=16, w=16):
    gen = torch.Generator().manual_seed(seed)
    return torch.rand(n, 3, h, w, generator=gen) * 2 - 1


def _optim(model, lr=1e-3):
    adam = dict(type='OptimWrapper',
                optimizer=dict(type='Adam', lr=lr, betas=(0.5, 0.999)))
    constructor = OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(type='UDAOptimWrapperConstructor',
             optim_wrapper_cfg=dict(generators=adam, discriminators=adam)))
    return constructor(model)


def _batch(seed=0, size_a=(16, 16), size_b=(20, 24)):
    gen = torch.Generator().manual_seed(seed)

    def domain(size):
        img = torch.randint(0, 256, (3, ) + size, generator=gen,
                            dtype=torch.uint8)
        return dict(inputs=[img], data_samples=[SegDataSample()])

    return dict(target=domain(size_a), source=domain(size_b))


def _mse(x, y):
    return ((x - y)**2).mean()


def _l1(x, y):
    return (x - y).abs().mean()


def test_networks_and_keys():
    model = _model()
    assert set(model.generators) == set(model.discriminators) == {'a', 'b'}
    assert model.generators['a'] is not model.generators['b']
    keys = model.state_dict().keys()
    assert {'pools.a._extra_state', 'pools.b._extra_state'} <= set(keys)
    assert any(k.startswith('generators.a.') for k in keys)
    # G_A translates 3 -> 3 channels at the input size
    x = _images(0, h=12, w=20)
    assert model.translate(x, 'a').shape == x.shape
    assert torch.equal(model(x), model.translate(x, 'a'))
    with pytest.raises(ValueError, match='direction'):
        model.translate(x, 'c')
    with pytest.raises(NotImplementedError):
        model(x, mode='loss')


def test_generator_losses_against_a_manual_computation():
    model = _model(cycle_weight=10.0, identity_weight=0.5)
    a, b = _images(1), _images(2, h=20, w=12)
    losses, fakes = model.generator_losses(a, b)
    g_a, g_b = model.generators['a'], model.generators['b']
    d_a, d_b = model.discriminators['a'], model.discriminators['b']
    with torch.no_grad():
        fake_b, fake_a = g_a(a), g_b(b)
        expected = dict(
            loss_gan_a=_mse(d_b(fake_b), 1.0),  # LSGAN, "call it real"
            loss_gan_b=_mse(d_a(fake_a), 1.0),
            loss_cycle_a=10.0 * _l1(g_b(fake_b), a),
            loss_cycle_b=10.0 * _l1(g_a(fake_a), b),
            # identity weight 0.5 is relative to the cycle weight 10
            loss_idt_a=5.0 * _l1(g_a(b), b),
            loss_idt_b=5.0 * _l1(g_b(a), a))
    assert set(losses) == set(expected)
    for key, value in expected.items():
        assert value > 0
        torch.testing.assert_close(losses[key], value, msg=key)
    torch.testing.assert_close(fakes['fake_b'], fake_b)
    torch.testing.assert_close(fakes['fake_a'], fake_a)


def test_identity_terms_scale_with_both_weights_and_can_be_off():
    a, b = _images(3), _images(4)
    base, _ = _model(cycle_weight=1.0, identity_weight=1.0).generator_losses(
        a, b)
    scaled, _ = _model(cycle_weight=4.0,
                       identity_weight=0.25).generator_losses(a, b)
    # same networks (same seed): 4 * 0.25 = 1 * 1
    torch.testing.assert_close(scaled['loss_idt_a'], base['loss_idt_a'])
    torch.testing.assert_close(scaled['loss_cycle_a'],
                               4.0 * base['loss_cycle_a'])
    off, _ = _model(identity_weight=0.0).generator_losses(a, b)
    assert 'loss_idt_a' not in off and 'loss_idt_b' not in off


def test_bce_mode_uses_the_logistic_loss():
    model = _model(gan_mode='bce')
    a, b = _images(5), _images(6)
    losses, fakes = model.generator_losses(a, b)
    with torch.no_grad():
        logits = model.discriminators['b'](fakes['fake_b'])
        expected = torch.nn.functional.softplus(-logits).mean()
    torch.testing.assert_close(losses['loss_gan_a'], expected)


def test_discriminator_losses_against_a_manual_computation():
    model = _model()
    a, b = _images(7), _images(8)
    fake_a, fake_b = _images(9), _images(10)
    losses = model.discriminator_losses(a, b, fake_a, fake_b)
    d_a, d_b = model.discriminators['a'], model.discriminators['b']
    with torch.no_grad():
        expected_a = 0.5 * (_mse(d_a(a), 1.0) + _mse(d_a(fake_a), 0.0))
        expected_b = 0.5 * (_mse(d_b(b), 1.0) + _mse(d_b(fake_b), 0.0))
    torch.testing.assert_close(losses['loss_d_a'], expected_a)
    torch.testing.assert_close(losses['loss_d_b'], expected_b)


def test_discriminator_loss_never_reaches_the_generators():
    model = _model()
    a, b = _images(11), _images(12)
    _, fakes = model.generator_losses(a, b)  # fakes with graph into G
    losses = model.discriminator_losses(a, b, fakes['fake_a'],
                                        fakes['fake_b'])
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.generators.parameters())
    assert all(p.grad is not None and p.grad.abs().sum() > 0
               for p in model.discriminators.parameters())


def _snapshot(module):
    return {n: p.detach().clone() for n, p in module.named_parameters()}


def _changed(before, module):
    return {n for n, p in module.named_parameters()
            if not torch.equal(before[n], p)}


def test_train_step_each_optimizer_changes_only_its_networks():
    model = _model()
    optim = _optim(model)
    assert set(optim.optim_wrappers) == {'generators', 'discriminators'}
    record = {}

    def spy(key):
        wrapper = optim[key]
        original = wrapper.update_params

        def update_params(loss, *args, **kwargs):
            before = (_snapshot(model.generators),
                      _snapshot(model.discriminators))
            # G's backward must not leave gradients on D (D is frozen)
            d_grads = [p.grad for p in model.discriminators.parameters()]
            out = original(loss, *args, **kwargs)
            record[key] = dict(
                generators=_changed(before[0], model.generators),
                discriminators=_changed(before[1], model.discriminators),
                d_grads_before=d_grads)
            return out

        wrapper.update_params = update_params

    spy('generators')
    spy('discriminators')
    log_vars = model.train_step(_batch(), optim)

    g_names = {n for n, _ in model.generators.named_parameters()}
    d_names = {n for n, _ in model.discriminators.named_parameters()}
    # the generator step moves both generators (every tensor: Adam's first
    # step changes each parameter with a non-zero gradient) and no D
    assert record['generators']['generators'] == g_names
    assert record['generators']['discriminators'] == set()
    assert all(g is None for g in record['generators']['d_grads_before'])
    # the discriminator step moves both D and no generator
    assert record['discriminators']['discriminators'] == d_names
    assert record['discriminators']['generators'] == set()
    assert all(p.requires_grad for p in model.discriminators.parameters())
    for key in ('loss', 'loss_gan_a', 'loss_gan_b', 'loss_cycle_a',
                'loss_cycle_b', 'loss_idt_a', 'loss_idt_b', 'loss_d_a',
                'loss_d_b'):
        assert torch.isfinite(log_vars[key]), key
    # this step's fakes entered the pools (batch 1 per domain)
    assert len(model.pools['a']) == len(model.pools['b']) == 1
    assert model.pools['a'].images[0].shape == (3, 20, 24)  # G_B(source)
    assert model.pools['b'].images[0].shape == (3, 16, 16)  # G_A(target)


def test_train_step_reads_the_configured_domains():
    model = _model(domain_a='source', domain_b='target')
    model.train_step(_batch(), _optim(model))
    # A is now the source (20x24): pool B holds G_A(source)
    assert model.pools['b'].images[0].shape == (3, 20, 24)
    with pytest.raises(KeyError, match='missing'):
        model.train_step(dict(source=_batch()['source']), _optim(model))


def test_preprocessor_maps_images_to_rgb_in_minus_one_one():
    model = _model()
    img = torch.zeros(3, 4, 4, dtype=torch.uint8)
    img[0] = 255  # blue in BGR
    out = model.data_preprocessor(
        dict(inputs=[img], data_samples=[SegDataSample()]), True)['inputs']
    assert torch.equal(out[0, 2], torch.ones(4, 4))  # blue is RGB's last
    assert torch.equal(out[0, 0], -torch.ones(4, 4))


@pytest.mark.parametrize('kwargs', [
    dict(gan_mode='wgan'),
    dict(cycle_weight=-1.0),
    dict(domain_a='source', domain_b='source')
])
def test_invalid_arguments(kwargs):
    with pytest.raises(ValueError):
        _model(**kwargs)
