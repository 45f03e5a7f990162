"""LabelReconstruction (LDR, SPEC 4.3) with tiny M / PatchGAN stand-ins."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
from mmseg.structures import SegDataSample

from ldr_toys import TOY_D, TOY_M
from mmseg_uda.models.losses import feature_matching_loss
from mmseg_uda.models.utils import boltzmann_softmax
from test_engine.uda_toys import model_cfg

C = 19
CAFFE_NORM = dict(mean=[103.53, 116.28, 123.675], std=[1.0, 1.0, 1.0],
                  bgr_to_rgb=False)


def _aligner(**kwargs):
    cfg = dict(type='LabelReconstruction', num_classes=C,
               reconstructor=TOY_M, discriminator=TOY_D)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def _softplus(x):
    return torch.log1p(torch.exp(x.double()))


def test_build_networks_and_optimizer_keys():
    aligner = _aligner()
    assert aligner.optim_modules == ('reconstructor', 'discriminator')
    assert aligner.joint_modules == ('reconstructor', )
    assert set(aligner.networks()) == {'reconstructor', 'discriminator'}
    assert aligner.reconstructor.conv.in_channels == C
    assert aligner.discriminator.in_channels == C + 3
    assert aligner.domains == ('source', 'target')
    # the VGG is a frozen loss network outside the optimizer keys
    assert not any(p.requires_grad
                   for p in aligner.perceptual_loss.parameters())


def test_bad_configs():
    with pytest.raises(ValueError, match='domains'):
        _aligner(domains=('src', ))
    with pytest.raises(ValueError, match='input_space'):
        _aligner(input_space='image')
    with pytest.raises(ValueError, match='gan_mode'):
        _aligner(gan_mode='wgan')
    with pytest.raises(ValueError, match='temperature'):
        _aligner(temperature=0)
    with pytest.raises(ValueError, match='bgr_to_rgb'):
        _aligner(input_norm=dict(mean=[0] * 3, std=[1] * 3))


def test_images_recovered_as_rgb_in_tanh_range(make_outputs):
    aligner = _aligner(input_norm=CAFFE_NORM)
    rgb = torch.randint(0, 256, (1, 3, 8, 12)).float()
    # Caffe preprocessing: BGR order, minus the BGR mean, std 1
    inputs = rgb.flip(1) - torch.tensor(CAFFE_NORM['mean']).view(1, 3, 1, 1)
    out = make_outputs({'main': torch.zeros(1, C, 2, 3)}, (8, 12))
    out.inputs = inputs
    torch.testing.assert_close(aligner.images(out), rgb / 127.5 - 1)
    # ImageNet mean/std RGB preprocessing (the default)
    aligner = _aligner()
    mean = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1)
    std = torch.tensor([58.395, 57.12, 57.375]).view(1, 3, 1, 1)
    out.inputs = (rgb - mean) / std
    torch.testing.assert_close(aligner.images(out), rgb / 127.5 - 1,
                               rtol=1e-5, atol=1e-5)


def test_condition_and_reconstruction_size(make_outputs):
    logits = torch.randn(2, C, 4, 6) * 5
    out = make_outputs({'main': logits}, (16, 24))
    aligner = _aligner(temperature=0.5)
    up = F.interpolate(logits, (16, 24), mode='bilinear',
                       align_corners=True)
    torch.testing.assert_close(aligner.condition(out),
                               boltzmann_softmax(up, 0.5))
    feature = _aligner(input_space='feature')
    torch.testing.assert_close(feature.condition(out), up)
    # memory option: half size, rounded to a multiple of 4
    half = _aligner(rec_scale=0.5)
    assert half.rec_size(make_outputs({'main': logits}, (20, 36))) == (12,
                                                                       20)
    assert half.images(out).shape == (2, 3, 8, 12)
    assert half.condition(out).shape == (2, C, 8, 12)
    with pytest.raises(ValueError, match="'aux'"):
        _aligner(level='aux').condition(out)


def test_generator_loss_values(make_outputs):
    torch.manual_seed(0)
    aligner = _aligner(adv_weight=1e-2, rec_weight=10.0, temperature=1.0)
    aligner.discriminator.requires_grad_(False)  # UDASegmentor does this
    src = make_outputs({'main': torch.randn(1, C, 8, 8)}, (32, 32))
    tgt = make_outputs({'main': torch.randn(1, C, 8, 8)}, (32, 32))
    src.inputs = torch.randn(1, 3, 32, 32)
    tgt.inputs = torch.randn(1, 3, 32, 32)
    losses = aligner.generator_loss(src, tgt)
    assert set(losses) == {f'loss_{t}_{d}' for t in ('adv', 'vgg', 'fm')
                           for d in ('source', 'target')}
    for name, out in (('source', src), ('target', tgt)):
        with torch.no_grad():
            omega, image = aligner.condition(out), aligner.images(out)
            fake = aligner.reconstructor(omega)
            d_fake = aligner.discriminator(torch.cat([omega, fake], 1),
                                           return_features=True)
            d_real = aligner.discriminator(torch.cat([omega, image], 1),
                                           return_features=True)
            # M wants D_k to call its output real (label 1): BCE(x, 1)
            adv = sum(_softplus(-lg).mean() for lg, _ in d_fake)
            vgg = aligner.perceptual_loss(fake, image)
            fm = feature_matching_loss([f for _, f in d_real],
                                       [f for _, f in d_fake])
        assert losses[f'loss_adv_{name}'].item() == pytest.approx(
            1e-2 * adv.item(), rel=1e-5)
        assert losses[f'loss_vgg_{name}'].item() == pytest.approx(
            10 * vgg.item(), rel=1e-5)
        assert losses[f'loss_fm_{name}'].item() == pytest.approx(
            10 * fm.item(), rel=1e-5)


def test_ablation_switches(make_outputs):
    out = make_outputs({'main': torch.randn(1, C, 4, 4)}, (16, 16))
    no_fm = _aligner(feature_matching_loss=None, domains=('target', ))
    assert set(no_fm.generator_loss(out, out)) == {'loss_adv_target',
                                                   'loss_vgg_target'}
    no_vgg = _aligner(perceptual_loss=None)
    assert no_vgg.perceptual_loss is None
    assert set(no_vgg.generator_loss(out, out)) == {
        'loss_adv_source', 'loss_fm_source', 'loss_adv_target',
        'loss_fm_target'}


def test_gradients_reach_g_and_m_not_d(make_outputs):
    aligner = _aligner(temperature=1.0)
    aligner.discriminator.requires_grad_(False)
    logits = torch.randn(1, C, 4, 4, requires_grad=True)
    out = make_outputs({'main': logits}, (16, 16))
    sum(aligner.generator_loss(out, out).values()).backward()
    assert logits.grad.abs().sum() > 0
    assert all(p.grad is not None and p.grad.abs().sum() > 0
               for p in aligner.reconstructor.parameters())
    assert all(p.grad is None for p in aligner.discriminator.parameters())
    assert all(p.grad is None for p in aligner.perceptual_loss.parameters())


def test_update_trains_discriminators_on_the_step_reconstructions(
        make_outputs):
    torch.manual_seed(0)
    aligner = _aligner()
    out = make_outputs({'main': torch.randn(1, C, 4, 4)}, (16, 16))
    aligner.generator_loss(out, out)
    condition, image, fake = aligner._fakes['target']
    with torch.no_grad():
        disc = aligner.discriminator
        real_lg = disc(torch.cat([condition, image], 1))
        fake_lg = disc(torch.cat([condition, fake], 1))
        # D_k: BCE(real, 1) + BCE(fake, 0), halved, summed over the scales
        expected = sum((_softplus(-r).mean() + _softplus(f).mean()) / 2
                       for r, f in zip(real_lg, fake_lg))
    optim = OptimWrapperDict(**{
        'ldr.discriminator': OptimWrapper(
            torch.optim.SGD(aligner.discriminator.parameters(), lr=0.1))})
    m_before = [p.detach().clone() for p in aligner.reconstructor.parameters()]
    d_before = [p.detach().clone() for p in aligner.discriminator.parameters()]
    log = aligner.update(out.detach(), out.detach(), optim, 'ldr')
    assert log['loss_d_target'].item() == pytest.approx(expected.item(),
                                                        rel=1e-5)
    assert aligner._fakes == {}
    assert all(not torch.equal(a, p)
               for a, p in zip(d_before, aligner.discriminator.parameters()))
    assert all(torch.equal(a, p)
               for a, p in zip(m_before, aligner.reconstructor.parameters()))
    # without a preceding G step, M is run again (no gradient into M)
    log2 = aligner.update(out.detach(), out.detach(), optim, 'ldr')
    assert set(log2) == {'loss_d_source', 'loss_d_target'}
    assert all(p.grad is None for p in aligner.reconstructor.parameters())


# ----------------------------------------------------------------------
# A tiny UDASegmentor with the aligner: which optimizer changes what.
def _domain(n, h, w, labelled, seed):
    gen = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for _ in range(n):
        inputs.append(torch.randint(0, 256, (3, h, w), generator=gen,
                                    dtype=torch.uint8))
        sample = SegDataSample(metainfo=dict(
            img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w)))
        if labelled:
            sample.gt_sem_seg = PixelData(
                data=torch.randint(0, C, (1, h, w), generator=gen))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def _snapshot(module):
    return {k: v.detach().clone() for k, v in module.named_parameters()}


def _changed(before, after):
    return {k for k in before if not torch.equal(before[k], after[k])}


def test_train_step_g_and_m_then_discriminators():
    init_default_scope('mmseg')
    torch.manual_seed(0)
    ldr = dict(type='LabelReconstruction', num_classes=C,
               reconstructor=TOY_M, discriminator=TOY_D, temperature=1.0)
    # PyTorch's default init (no zero-init residual BN), so every
    # parameter of G gets a gradient in the first step.
    model = MODELS.build(model_cfg(dict(ldr=ldr)))
    model.train()
    sgd = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1))
    wrappers = OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(type='UDAOptimWrapperConstructor',
             optim_wrapper_cfg={'segmentor': sgd, 'ldr.reconstructor': sgd,
                                'ldr.discriminator': sgd}))(model)
    aligner = model.aligners['ldr']
    mid = {}
    update = aligner.update

    def observed_update(*args, **kwargs):
        mid.update(_snapshot(model))  # after G's step, before D's
        mid['d_grads'] = [p.grad for p in aligner.discriminator.parameters()]
        return update(*args, **kwargs)

    aligner.update = observed_update
    before = _snapshot(model)
    batch = dict(source=_domain(1, 32, 32, True, 0),
                 target=_domain(1, 32, 64, False, 1))
    log_vars = model.train_step(batch, wrappers)
    after = _snapshot(model)
    d_grads = mid.pop('d_grads')

    def names(prefix):
        return {k for k in before if k.startswith(prefix)}

    g = names('segmentor.')
    m = names('aligners.ldr.reconstructor.')
    d = names('aligners.ldr.discriminator.')
    vgg = names('aligners.ldr.perceptual_loss.')
    assert g and m and d and vgg
    assert set(before) == g | m | d | vgg
    # G's step (one backward, 'segmentor' + 'ldr.reconstructor' stepped)
    assert _changed(before, mid) == g | m
    assert all(grad is None or not grad.any() for grad in d_grads)
    # D's update: only the D_k
    assert _changed(mid, after) == d
    for key in ('ldr.loss_adv_source', 'ldr.loss_vgg_target',
                'ldr.loss_fm_target', 'ldr.loss_d_source',
                'ldr.loss_d_target'):
        assert key in log_vars and torch.isfinite(log_vars[key])
    # flags restored: D trainable, VGG frozen
    assert all(p.requires_grad for p in aligner.discriminator.parameters())
    assert not any(p.requires_grad
                   for p in aligner.perceptual_loss.parameters())
