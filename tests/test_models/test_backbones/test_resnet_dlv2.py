import math

import pytest
import torch
from mmseg.registry import MODELS
from torch.nn.modules.batchnorm import _BatchNorm

import mmseg_uda  # noqa: F401  (mmcv-lite shim before mmseg.models)


def _tiny(**kwargs):
    # Bottleneck depth with tiny widths: the stem/pool/stride arithmetic is
    # what is tested, not the width.
    cfg = dict(type='DLV2ResNet', depth=50, stem_channels=4, base_channels=2)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def _side_at_stride8(n):
    """Reference DeepLab-v2 arithmetic, written independently of torch."""
    n = math.floor((n + 2 * 3 - 7) / 2) + 1  # conv1 7x7/2, pad 3
    n = math.ceil((n + 2 * 1 - 3) / 2) + 1  # max-pool 3x3/2, pad 1, ceil
    return math.floor((n - 1) / 2) + 1  # layer2 1x1/2 conv (caffe style)


@pytest.mark.parametrize('hw,expected', [((720, 1280), (91, 161)),
                                         ((512, 1024), (65, 129))])
def test_feature_size_matches_reference(hw, expected):
    model = _tiny()
    model.eval()
    assert tuple(_side_at_stride8(n) for n in hw) == expected
    with torch.no_grad():
        outs = model(torch.rand(1, 3, *hw))
    assert len(outs) == 4
    # Stages 2-4 are all at stride 8 (dilated stages 3/4).
    for out in outs[1:]:
        assert tuple(out.shape[2:]) == expected
    assert [o.shape[1] for o in outs] == [8, 16, 32, 64]


@pytest.mark.parametrize('hw', [(33, 47), (64, 64), (97, 130)])
def test_feature_size_odd_inputs(hw):
    model = _tiny()
    model.eval()
    with torch.no_grad():
        out = model(torch.rand(1, 3, *hw))[-1]
    assert tuple(out.shape[2:]) == tuple(_side_at_stride8(n) for n in hw)


def test_ceil_mode_is_the_difference_to_mmseg_resnet():
    from mmseg.models.backbones import ResNet
    common = dict(depth=50,
                  stem_channels=4,
                  base_channels=2,
                  style='caffe',
                  strides=(1, 2, 1, 1),
                  dilations=(1, 1, 2, 4))
    plain = ResNet(**common)
    plain.eval()
    ours = _tiny()
    ours.eval()
    x = torch.rand(1, 3, 720, 1280)
    with torch.no_grad():
        # floor-mode pooling gives the 90x160 of a non-Caffe port
        assert tuple(plain(x)[-1].shape[2:]) == (90, 160)
        assert tuple(ours(x)[-1].shape[2:]) == (91, 161)
    assert ours.maxpool.ceil_mode and not plain.maxpool.ceil_mode


def test_caffe_style_layout():
    model = _tiny(depth=101)
    assert not hasattr(model, 'stem')  # single 7x7 stem, no deep stem
    assert model.conv1.kernel_size == (7, 7) and model.conv1.stride == (2, 2)
    first = model.layer2[0]
    assert first.conv1.stride == (2, 2) and first.conv2.stride == (1, 1)
    assert len(model.layer3) == 23
    for layer, d in ((model.layer3, 2), (model.layer4, 4)):
        # every block dilated, including the first (no contraction)
        for block in layer:
            assert block.conv2.dilation == (d, d)
            assert block.conv2.padding == (d, d)
            assert block.conv1.stride == (1, 1)
        assert layer[0].downsample is not None


def test_bn_affine_frozen():
    model = _tiny()
    bns = [m for m in model.modules() if isinstance(m, _BatchNorm)]
    assert len(bns) > 0
    for bn in bns:
        assert bn.weight.requires_grad is False
        assert bn.bias.requires_grad is False
    model.train()
    model(torch.rand(2, 3, 32, 32))[-1].sum().backward()
    assert all(bn.weight.grad is None for bn in bns)
    assert model.conv1.weight.grad is not None


@pytest.mark.parametrize('norm_eval', [False, True])
def test_norm_eval(norm_eval):
    model = _tiny(norm_eval=norm_eval)
    model.train()
    before = model.bn1.running_mean.clone()
    model(torch.rand(2, 3, 32, 32) + 1.0)
    changed = not torch.equal(before, model.bn1.running_mean)
    # default (False): batch statistics + drifting running stats, as in the
    # reference code; True: running stats frozen
    assert model.bn1.training is (not norm_eval)
    assert changed is (not norm_eval)
