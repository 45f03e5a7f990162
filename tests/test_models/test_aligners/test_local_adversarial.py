import math

import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmseg.registry import MODELS
from torch import nn

import mmseg_uda  # noqa: F401
from mmseg_uda.models.aligners import LocalAdversarial, mix


def _bce(x, y):
    """Hand-written BCE-with-logits of one number."""
    return -(y * math.log(1 / (1 + math.exp(-x))) +
             (1 - y) * math.log(1 - 1 / (1 + math.exp(-x))))


def _linear_aligner(**kwargs):
    """2 classes and a linear pixel D with D(p) = p0 - p1 = 2 p0 - 1."""
    cfg = dict(type='LocalAdversarial',
               num_classes=2,
               discriminator=dict(type='PixelDiscriminator', channels=()))
    cfg.update(kwargs)
    aligner = MODELS.build(cfg)
    conv = aligner.discriminator.layers[0]
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([1.0, -1.0]).view(1, 2, 1, 1))
        conv.bias.zero_()
    return aligner


def _two_class_logits(p0):
    """Logits (1, 2, h, w) whose softmax has class-0 probability p0."""
    p0 = torch.tensor(p0, dtype=torch.float64)
    return torch.log(torch.stack([p0, 1 - p0]))[None].float()


# native 2x2 maps, input 4x4 (stride 2)
P_S = [[0.9, 0.5], [0.2, 0.7]]  # D(p_s) = [[0.8, 0], [-0.6, 0.4]]
D_S = [[0.8, 0.0], [-0.6, 0.4]]
P_T = [[0.5, 0.5], [0.5, 0.5]]  # D(p_t) = 0


def _labels():
    # native pixel (i, j) takes the input label at (2i, 2j) (nearest)
    labels = torch.zeros(1, 4, 4, dtype=torch.long)
    labels[0, 0, 0] = 255  # -> native (0, 0) is background
    labels[0, 1, 1] = 255  # not sampled by the nearest resize
    labels[0, 3, 3] = 255  # not sampled either
    return labels


def _pair(make_outputs, p_s=P_S, p_t=P_T, labels=None):
    source = make_outputs(dict(main=_two_class_logits(p_s)), (4, 4),
                          _labels() if labels is None else labels)
    target = make_outputs(dict(main=_two_class_logits(p_t)), (4, 4))
    return source, target


def test_build_from_config():
    aligner = MODELS.build(dict(type='LocalAdversarial', num_classes=19))
    assert aligner.optim_modules == ('discriminator', )
    assert aligner.networks() == {'discriminator': aligner.discriminator}
    assert aligner.discriminator.in_channels == 19
    assert aligner.theta == 1.0 and aligner.loss_weight == 1e-3
    aligner.set_stage_params(theta=0.6)
    assert aligner.theta == 0.6


def test_mix_one_pixel():
    p_s = torch.tensor([1.0, 0.0]).view(1, 2, 1, 1)
    p_t = torch.tensor([0.0, 1.0]).view(1, 2, 1, 1)
    alpha = torch.full((1, 1, 1, 1), 0.7)
    m1, l1, m2, l2 = mix(p_s, p_t, alpha)
    torch.testing.assert_close(m1.view(2), torch.tensor([0.7, 0.3]))
    torch.testing.assert_close(m2.view(2), torch.tensor([0.3, 0.7]))
    assert l1.item() == pytest.approx(0.3) and l2.item() == pytest.approx(0.7)


def test_mix_two_by_two_per_pixel_alpha():
    p_s = torch.tensor([[0.9, 0.5], [0.2, 0.7]])
    p_t = torch.tensor([[0.1, 0.3], [0.6, 0.5]])
    p_s = torch.stack([p_s, 1 - p_s])[None]
    p_t = torch.stack([p_t, 1 - p_t])[None]
    alpha = torch.tensor([[1.0, 0.75], [0.5, 0.6]]).view(1, 1, 2, 2)
    m1, l1, m2, l2 = mix(p_s, p_t, alpha)
    # class-0 channel by hand: a * ps + (1 - a) * pt
    torch.testing.assert_close(m1[0, 0],
                               torch.tensor([[0.9, 0.45], [0.4, 0.62]]))
    torch.testing.assert_close(m2[0, 0],
                               torch.tensor([[0.1, 0.35], [0.4, 0.58]]))
    # still distributions
    torch.testing.assert_close(m1.sum(1), torch.ones(1, 2, 2))
    torch.testing.assert_close(l1[0, 0], torch.tensor([[0., .25], [.5, .4]]))
    torch.testing.assert_close(l2[0, 0], alpha[0, 0])


def test_plain_loss_with_background_exclusion_by_hand(make_outputs):
    aligner = _linear_aligner(theta=1.0)
    source, target = _pair(make_outputs)
    loss = aligner.discriminator_loss(source, target).item()
    # source (0, 0) is dropped: mean of BCE(x, 0) over the other three
    loss_s = (_bce(0.0, 0) + _bce(-0.6, 0) + _bce(0.4, 0)) / 3
    loss_t = _bce(0.0, 1)  # every target pixel has D = 0
    assert loss == pytest.approx((loss_s + loss_t) / 2, rel=1e-6)
    # without exclusion all four source pixels count
    aligner.exclude_background = False
    loss_all = aligner.discriminator_loss(source, target).item()
    loss_s = sum(_bce(x, 0) for row in D_S for x in row) / 4
    assert loss_all == pytest.approx((loss_s + loss_t) / 2, rel=1e-6)
    assert loss != pytest.approx(loss_all)


def test_all_background_source_contributes_zero(make_outputs):
    aligner = _linear_aligner()
    labels = torch.full((1, 4, 4), 255, dtype=torch.long)
    source, target = _pair(make_outputs, labels=labels)
    loss = aligner.discriminator_loss(source, target)
    assert loss.item() == pytest.approx(_bce(0.0, 1) / 2, rel=1e-6)


def test_mixed_loss_by_hand(make_outputs, monkeypatch):
    aligner = _linear_aligner(theta=0.5)
    alpha = torch.tensor([[1.0, 0.75], [0.5, 0.6]]).view(1, 1, 2, 2)
    monkeypatch.setattr(aligner, 'draw_alpha', lambda shape, device: alpha)
    source, target = _pair(make_outputs)
    loss = aligner.discriminator_loss(source, target).item()
    # linear D and D(p_t) = 0: D(m1) = a * D(p_s), D(m2) = (1 - a) * D(p_s)
    a = [1.0, 0.75, 0.5, 0.6]
    d_s = [0.8, 0.0, -0.6, 0.4]
    # pixel 0: source background; m1 (source share 1) excluded,
    # m2 (source share 1 - a = 0) kept
    valid1 = [False, True, True, True]
    valid2 = [True, True, True, True]
    t1 = [_bce(ai * d, 1 - ai) for ai, d, v in zip(a, d_s, valid1) if v]
    t2 = [_bce((1 - ai) * d, ai) for ai, d, v in zip(a, d_s, valid2) if v]
    expected = (sum(t1) / len(t1) + sum(t2) / len(t2)) / 2
    assert loss == pytest.approx(expected, rel=1e-6)


def test_alpha_one_equals_plain_loss():
    torch.manual_seed(0)
    aligner = MODELS.build(
        dict(type='LocalAdversarial',
             num_classes=4,
             discriminator=dict(type='PixelDiscriminator', channels=(8, 8))))
    p_s = torch.softmax(torch.randn(2, 4, 3, 5), 1)
    p_t = torch.softmax(torch.randn(2, 4, 3, 5), 1)
    valid = torch.rand(2, 1, 3, 5) > 0.3
    ones = torch.ones(2, 1, 3, 5)
    for mask in (valid, None):
        torch.testing.assert_close(aligner.mixed_loss(p_s, p_t, ones, mask),
                                   aligner.plain_loss(p_s, p_t, mask),
                                   rtol=0,
                                   atol=0)


def test_theta_one_is_plain_and_draws_nothing(make_outputs):
    aligner = _linear_aligner(theta=1.0)
    source, target = _pair(make_outputs)
    state = torch.get_rng_state()
    loss = aligner.discriminator_loss(source, target)
    assert torch.equal(state, torch.get_rng_state())
    p_s = torch.softmax(source.logits['main'], 1)
    p_t = torch.softmax(target.logits['main'], 1)
    valid = torch.tensor([[False, True], [True, True]]).view(1, 1, 2, 2)
    torch.testing.assert_close(loss, aligner.plain_loss(p_s, p_t, valid))


def test_draw_alpha_range():
    aligner = _linear_aligner(theta=0.6)
    torch.manual_seed(0)
    alpha = aligner.draw_alpha((2, 1, 50, 50), torch.device('cpu'))
    assert alpha.min() > 0.6 and alpha.max() <= 1.0
    assert alpha.std() > 0.05  # per pixel, not one value
    aligner.theta = 1.0
    assert torch.equal(aligner.draw_alpha((1, 1, 3, 3), torch.device('cpu')),
                       torch.ones(1, 1, 3, 3))
    # global RNG: same seed, same draw
    aligner.theta = 0.6
    torch.manual_seed(0)
    torch.testing.assert_close(
        aligner.draw_alpha((2, 1, 50, 50), torch.device('cpu')), alpha)


def _capture_inputs(module):
    seen = []
    module.register_forward_pre_hook(lambda m, args: seen.append(args[0]))
    return seen


def test_crop_to_common_size(make_outputs, monkeypatch):
    torch.manual_seed(0)
    aligner = MODELS.build(
        dict(type='LocalAdversarial',
             num_classes=3,
             theta=0.5,
             discriminator=dict(type='PixelDiscriminator', channels=(4, ))))
    monkeypatch.setattr(aligner, 'draw_alpha',
                        lambda shape, device: torch.ones(shape))
    logits_s = torch.randn(1, 3, 2, 4)
    labels = torch.zeros(1, 4, 8, dtype=torch.long)
    labels[..., 0:2] = 255  # native column 0 is background
    source = make_outputs(dict(main=logits_s), (4, 8), labels)
    target = make_outputs(dict(main=torch.randn(1, 3, 3, 2)), (6, 4))
    seen = _capture_inputs(aligner.discriminator)
    loss = aligner.discriminator_loss(source, target)
    m1, m2 = seen
    assert m1.shape == m2.shape == (1, 3, 2, 2)
    # with a = 1, m1 is a window of p_s and m2 a window of p_t
    p_s = torch.softmax(logits_s, 1)
    lefts = [k for k in range(3) if torch.equal(m1, p_s[..., k:k + 2])]
    assert len(lefts) == 1
    p_t = torch.softmax(target.logits['main'], 1)
    assert any(torch.equal(m2, p_t[..., k:k + 2, :]) for k in range(2))
    # the mask was cropped with the same window as p_s
    valid = torch.ones(1, 1, 2, 4, dtype=torch.bool)
    valid[..., 0] = False
    k = lefts[0]
    expected = aligner.plain_loss(m1, m2, valid[..., k:k + 2])
    torch.testing.assert_close(loss, expected)


def test_crop_is_seeded(make_outputs):
    aligner = MODELS.build(
        dict(type='LocalAdversarial',
             num_classes=3,
             theta=0.6,
             discriminator=dict(type='PixelDiscriminator', channels=(4, ))))
    source = make_outputs(dict(main=torch.randn(2, 3, 5, 7)), (10, 14),
                          torch.zeros(2, 10, 14))
    target = make_outputs(dict(main=torch.randn(2, 3, 4, 6)), (8, 12))
    losses = []
    for _ in range(2):
        torch.manual_seed(3)
        losses.append(aligner.discriminator_loss(source, target))
    torch.testing.assert_close(losses[0], losses[1], rtol=0, atol=0)


def test_resize_to_common_size(make_outputs, monkeypatch):
    aligner = MODELS.build(
        dict(type='LocalAdversarial',
             num_classes=3,
             theta=0.5,
             align='resize',
             exclude_background=False,
             discriminator=dict(type='PixelDiscriminator', channels=(4, ))))
    monkeypatch.setattr(aligner, 'draw_alpha',
                        lambda shape, device: torch.ones(shape))
    logits_s = torch.randn(1, 3, 3, 5)
    source = make_outputs(dict(main=logits_s), (6, 10))
    target = make_outputs(dict(main=torch.randn(1, 3, 2, 4)), (4, 8))
    seen = _capture_inputs(aligner.discriminator)
    aligner.discriminator_loss(source, target)
    expected = F.interpolate(torch.softmax(logits_s, 1), (2, 4),
                             mode='bilinear',
                             align_corners=True)
    torch.testing.assert_close(seen[0], expected)


def test_input_resolution(make_outputs):
    aligner = MODELS.build(
        dict(type='LocalAdversarial',
             num_classes=3,
             resolution='input',
             discriminator=dict(type='PixelDiscriminator', channels=(4, ))))
    seen = _capture_inputs(aligner.discriminator)
    target = make_outputs(dict(main=torch.randn(1, 3, 2, 3)), (8, 12))
    aligner.generator_loss(target, target)
    torch.testing.assert_close(
        seen[0], torch.softmax(target.upsampled_logits('main'), 1))


def test_generator_loss_value_and_grads(make_outputs):
    aligner = _linear_aligner(loss_weight=0.1)
    aligner.requires_grad_(False)  # as UDASegmentor does for G's pass
    p0 = [[0.9, 0.5], [0.2, 0.7]]
    logits = _two_class_logits(p0).requires_grad_()
    target = make_outputs(dict(main=logits), (4, 4))
    losses = aligner.generator_loss(target, target)
    assert set(losses) == {'loss_adv_local'}
    # per pixel BCE(D(p_t), SOURCE_LABEL = 0), no mask on the target
    expected = 0.1 * sum(_bce(x, 0) for row in D_S for x in row) / 4
    assert losses['loss_adv_local'].item() == pytest.approx(expected, 1e-6)
    losses['loss_adv_local'].backward()
    assert logits.grad.abs().sum() > 0
    assert all(p.grad is None for p in aligner.parameters())


@pytest.mark.parametrize('theta', [1.0, 0.6])
def test_update_changes_discriminator_only(make_outputs, theta):
    torch.manual_seed(0)
    aligner = MODELS.build(
        dict(type='LocalAdversarial',
             num_classes=3,
             theta=theta,
             discriminator=dict(type='PixelDiscriminator', channels=(4, ))))
    generator = nn.Conv2d(3, 3, 1)
    labels = torch.randint(0, 3, (1, 4, 4))
    labels[0, :2] = 255
    source = make_outputs(dict(main=generator(torch.rand(1, 3, 2, 2))), (4, 4),
                          labels)
    target = make_outputs(dict(main=generator(torch.rand(1, 3, 2, 2))), (4, 4))
    optim = OptimWrapperDict(
        segmentor=OptimWrapper(torch.optim.SGD(generator.parameters(),
                                               lr=1.0)),
        **{
            'local.discriminator':
            OptimWrapper(
                torch.optim.Adam(aligner.discriminator.parameters(), lr=1e-2))
        })
    torch.manual_seed(1)
    with torch.no_grad():
        expected = aligner.discriminator_loss(source, target)
    g_before = [p.detach().clone() for p in generator.parameters()]
    d_before = [p.detach().clone() for p in aligner.parameters()]
    aligner.requires_grad_(False)
    torch.manual_seed(1)
    log = aligner.update(source.detach(), target.detach(), optim, 'local')
    assert set(log) == {'loss_d_local'}
    torch.testing.assert_close(log['loss_d_local'], expected)
    for before, p in zip(d_before, aligner.parameters()):
        assert not torch.equal(before, p)
        assert not p.requires_grad
    for before, p in zip(g_before, generator.parameters()):
        assert torch.equal(before, p) and p.grad is None


def test_errors(make_outputs):
    with pytest.raises(ValueError, match='resolution'):
        LocalAdversarial(num_classes=2, resolution='full')
    with pytest.raises(ValueError, match='align'):
        LocalAdversarial(num_classes=2, align='pad')
    with pytest.raises(ValueError, match='theta'):
        LocalAdversarial(num_classes=2, theta=1.5)
    aligner = _linear_aligner(theta=0.6)
    source, target = _pair(make_outputs)
    aligner.set_stage_params(theta=-0.1)
    with pytest.raises(ValueError, match='theta'):
        aligner.discriminator_loss(source, target)
    aligner.theta = 0.6
    no_gt = make_outputs(dict(main=torch.randn(1, 2, 2, 2)), (4, 4))
    with pytest.raises(ValueError, match='gt_sem_seg'):
        aligner.discriminator_loss(no_gt, target)
    big = make_outputs(dict(main=torch.randn(2, 2, 2, 2)), (4, 4),
                       torch.zeros(2, 4, 4))
    with pytest.raises(ValueError, match='batch'):
        aligner.discriminator_loss(big, target)
    aux_only = make_outputs(dict(aux=torch.randn(1, 2, 2, 2)), (4, 4))
    with pytest.raises(ValueError, match="'main'"):
        aligner.generator_loss(aux_only, aux_only)
