import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmseg.registry import MODELS
from torch import nn

import mmseg_uda  # noqa: F401

NUM_CLASSES = 3
SMALL_D = dict(type='FCDiscriminator', base_channels=4, num_convs=2)


def _aligner(**kwargs):
    cfg = dict(type='OutputAdversarial',
               num_classes=NUM_CLASSES,
               discriminator=SMALL_D)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def _logits(seed, n=1, size=(4, 5), levels=('main', 'aux')):
    g = torch.Generator().manual_seed(seed)
    return {
        lvl: torch.randn(n, NUM_CLASSES, *size, generator=g)
        for lvl in levels
    }


def _softplus(x):
    # independent BCE-with-logits: BCE(x, 0) = log(1 + e^x)
    return torch.log1p(torch.exp(x.double()))


@pytest.mark.parametrize('input_', ['softmax', 'entropy'])
@pytest.mark.parametrize('gan_mode', ['bce', 'lsgan'])
def test_build_from_config(input_, gan_mode):
    aligner = _aligner(input=input_, gan_mode=gan_mode)
    assert set(aligner.discriminators) == {'main', 'aux'}
    assert aligner.optim_modules == ('discriminators', )
    assert aligner.networks() == {'discriminators': aligner.discriminators}
    assert aligner.discriminators['main'].in_channels == NUM_CLASSES
    assert aligner.discriminators['main'] is not aligner.discriminators['aux']


def test_generator_loss_value(make_outputs):
    torch.manual_seed(0)
    aligner = _aligner(levels=dict(main=1e-3, aux=2e-4))
    logits_t = _logits(1, size=(4, 4))
    target = make_outputs(logits_t, (16, 16))
    source = make_outputs(_logits(2, size=(4, 4)), (16, 16))
    losses = aligner.generator_loss(source, target)
    assert set(losses) == {'loss_adv_main', 'loss_adv_aux'}
    for lvl, w in [('main', 1e-3), ('aux', 2e-4)]:
        up = F.interpolate(logits_t[lvl], (16, 16),
                           mode='bilinear',
                           align_corners=True)
        with torch.no_grad():
            d = aligner.discriminators[lvl](torch.softmax(up, dim=1))
        expected = w * _softplus(d).mean()
        assert losses[f'loss_adv_{lvl}'].item() == pytest.approx(
            expected.item(), rel=1e-5)


def test_entropy_input_is_self_information(make_outputs):
    aligner = _aligner(input='entropy', levels=dict(main=1.0))
    seen = []
    aligner.discriminators['main'].register_forward_pre_hook(
        lambda m, args: seen.append(args[0]))
    logits = _logits(3, size=(4, 4), levels=('main', ))
    aligner.generator_loss(make_outputs(logits, (8, 8)),
                           make_outputs(logits, (8, 8)))
    up = F.interpolate(logits['main'], (8, 8),
                       mode='bilinear',
                       align_corners=True)
    p = torch.softmax(up.double(), dim=1)
    expected = -p * torch.log(p) / torch.log(torch.tensor(3.0)).double()
    torch.testing.assert_close(seen[0].double(),
                               expected,
                               rtol=1e-5,
                               atol=1e-6)
    # summed over classes it is the normalised entropy, at most 1
    assert seen[0].sum(1).max() <= 1 + 1e-6


def test_single_level_outputs_skip_aux(make_outputs):
    aligner = _aligner()
    logits = _logits(4, levels=('main', ))
    out = make_outputs(logits, (8, 10))
    assert set(aligner.generator_loss(out, out)) == {'loss_adv_main'}
    with pytest.raises(ValueError, match='missing'):
        _aligner(levels=dict(other=1.0)).generator_loss(out, out)


def test_generator_loss_grads_only_in_g(make_outputs):
    aligner = _aligner()
    aligner.requires_grad_(False)  # what UDASegmentor does for G's pass
    logits = {k: v.requires_grad_() for k, v in _logits(5).items()}
    target = make_outputs(logits, (8, 10))
    losses = aligner.generator_loss(target, target)
    sum(losses.values()).backward()
    for v in logits.values():
        assert v.grad is not None and v.grad.abs().sum() > 0
    assert all(p.grad is None for p in aligner.parameters())


def test_update_changes_discriminators_only(make_outputs):
    torch.manual_seed(0)
    aligner = _aligner()
    generator = nn.Conv2d(3, NUM_CLASSES, 1)
    images_s, images_t = torch.rand(1, 3, 8, 10), torch.rand(1, 3, 8, 10)
    source = make_outputs(
        {
            'main': generator(images_s),
            'aux': generator(images_s) * 2
        }, (8, 10))
    target = make_outputs(
        {
            'main': generator(images_t),
            'aux': generator(images_t) * 2
        }, (8, 10))
    optim = OptimWrapperDict(
        **{
            'segmentor':
            OptimWrapper(torch.optim.SGD(generator.parameters(), lr=1.0)),
            'adv.discriminators':
            OptimWrapper(
                torch.optim.Adam(aligner.discriminators.parameters(), lr=1e-2))
        })
    # expected D losses before the step, by an independent BCE
    expected = {}
    with torch.no_grad():
        for lvl in ('main', 'aux'):
            disc = aligner.discriminators[lvl]
            d_s = disc(torch.softmax(source.upsampled_logits(lvl), 1))
            d_t = disc(torch.softmax(target.upsampled_logits(lvl), 1))
            expected[lvl] = (_softplus(d_s).mean() +
                             _softplus(-d_t).mean()) / 2
    g_before = [p.detach().clone() for p in generator.parameters()]
    d_before = [p.detach().clone() for p in aligner.parameters()]
    aligner.requires_grad_(False)  # left frozen by the G pass
    log = aligner.update(source.detach(), target.detach(), optim, 'adv')
    assert set(log) == {'loss_d_main', 'loss_d_aux'}
    for lvl in ('main', 'aux'):
        assert log[f'loss_d_{lvl}'].item() == pytest.approx(
            expected[lvl].item(), rel=1e-5)
        assert not log[f'loss_d_{lvl}'].requires_grad
    for before, p in zip(d_before, aligner.parameters()):
        assert not torch.equal(before, p)
        assert not p.requires_grad  # flags restored
    for before, p in zip(g_before, generator.parameters()):
        assert torch.equal(before, p)
        assert p.grad is None


def test_bad_config():
    with pytest.raises(ValueError, match='input'):
        _aligner(input='logits')
    with pytest.raises(ValueError, match='gan_mode'):
        _aligner(gan_mode='wgan')


def test_wrong_num_classes(make_outputs):
    aligner = _aligner()
    out = make_outputs({'main': torch.zeros(1, 5, 2, 2)}, (4, 4))
    with pytest.raises(ValueError, match='3-channel'):
        aligner.generator_loss(out, out)
