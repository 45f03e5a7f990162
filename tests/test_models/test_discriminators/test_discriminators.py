import pytest
import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import nn

import mmseg_uda  # noqa: F401


def _floor_halvings(length, times):
    # conv k=4, s=2, p=1: out = (L + 2*1 - 4) // 2 + 1
    for _ in range(times):
        length = (length + 2 - 4) // 2 + 1
    return length


@pytest.mark.parametrize('hw, expected', [((512, 1024), (16, 32)),
                                          ((720, 1280), (22, 40))])
def test_fc_discriminator_output_size(hw, expected):
    # width does not change the spatial size; keep it tiny for the CPU
    disc = MODELS.build(
        dict(type='FCDiscriminator', in_channels=3, base_channels=2))
    with torch.no_grad():
        out = disc(torch.rand(1, 3, *hw))
    assert out.shape == (1, 1, *expected)
    assert expected == tuple(_floor_halvings(s, 5) for s in hw)


@pytest.mark.parametrize('hw', [(33, 47), (64, 64), (91, 161)])
def test_fc_discriminator_size_formula(hw):
    disc = MODELS.build(
        dict(type='FCDiscriminator',
             in_channels=2,
             base_channels=2,
             num_convs=3))
    with torch.no_grad():
        out = disc(torch.rand(2, 2, *hw))
    assert out.shape == (2, 1, *(_floor_halvings(s, 4) for s in hw))


def test_fc_discriminator_architecture():
    disc = MODELS.build(dict(type='FCDiscriminator', in_channels=19))
    convs = [m for m in disc.modules() if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels) for c in convs] == [(19, 64),
                                                                (64, 128),
                                                                (128, 256),
                                                                (256, 512),
                                                                (512, 1)]
    for c in convs:
        assert c.kernel_size == (4, 4) and c.stride == (2, 2)
        assert c.padding == (1, 1)
    acts = [m for m in disc.modules() if isinstance(m, nn.LeakyReLU)]
    assert len(acts) == 4 and all(a.negative_slope == 0.2 for a in acts)
    # no normalisation, no sigmoid
    assert not any(
        isinstance(m, (nn.modules.batchnorm._NormBase, nn.GroupNorm,
                       nn.Sigmoid)) for m in disc.modules())


def test_fc_discriminator_matches_functional_chain():
    torch.manual_seed(0)
    disc = MODELS.build(
        dict(type='FCDiscriminator', in_channels=3, base_channels=4))
    x = torch.randn(2, 3, 40, 36)
    convs = [m for m in disc.modules() if isinstance(m, nn.Conv2d)]
    y = x
    for i, c in enumerate(convs):
        y = F.conv2d(y, c.weight, c.bias, stride=2, padding=1)
        if i < 4:
            y = torch.where(y > 0, y, 0.2 * y)
    with torch.no_grad():
        out = disc(x)
    torch.testing.assert_close(out, y.detach())
    assert out.dtype == torch.float32


def test_pixel_discriminator_is_per_pixel_mlp():
    torch.manual_seed(0)
    disc = MODELS.build(
        dict(type='PixelDiscriminator', in_channels=5, channels=(8, 6)))
    convs = [m for m in disc.modules() if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels) for c in convs] == [(5, 8), (8, 6),
                                                                (6, 1)]
    assert all(c.kernel_size == (1, 1) for c in convs)
    x = torch.randn(2, 5, 3, 4)
    with torch.no_grad():
        out = disc(x)
    assert out.shape == (2, 1, 3, 4)
    # independent implementation: an MLP applied to every pixel vector
    torch.set_grad_enabled(False)
    for n in range(2):
        for i in range(3):
            for j in range(4):
                v = x[n, :, i, j].double()
                for k, c in enumerate(convs):
                    v = c.weight[:, :, 0, 0].double() @ v + c.bias.double()
                    if k < len(convs) - 1:
                        v = torch.where(v > 0, v, 0.2 * v)
                assert abs(float(v) - float(out[n, 0, i, j])) < 1e-5
    torch.set_grad_enabled(True)


def test_pixel_discriminator_default_widths():
    disc = MODELS.build(dict(type='PixelDiscriminator', in_channels=19))
    convs = [m for m in disc.modules() if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels) for c in convs] == [(19, 64),
                                                                (64, 128),
                                                                (128, 256),
                                                                (256, 512),
                                                                (512, 1)]
    acts = [m for m in disc.modules() if isinstance(m, nn.LeakyReLU)]
    assert len(acts) == 4 and all(a.negative_slope == 0.2 for a in acts)
    assert not any(
        isinstance(m, (nn.modules.batchnorm._NormBase, nn.Sigmoid))
        for m in disc.modules())


@pytest.mark.parametrize('type_', ['FCDiscriminator', 'PixelDiscriminator'])
def test_wrong_channels_raise(type_):
    disc = MODELS.build(dict(type=type_, in_channels=4))
    with pytest.raises(ValueError, match='expects input'):
        disc(torch.rand(1, 3, 32, 32))


def _patch_size(length, num_layers, padding):
    for _ in range(num_layers):  # k=4, s=2
        length = (length + 2 * padding - 4) // 2 + 1
    for _ in range(2):  # k=4, s=1
        length = length + 2 * padding - 4 + 1
    return length


@pytest.mark.parametrize('padding', [1, 2])
@pytest.mark.parametrize('hw', [(64, 64), (70, 96), (32, 128)])
def test_patch_discriminator_shapes_and_features(hw, padding):
    disc = MODELS.build(
        dict(type='PatchDiscriminator', in_channels=22, base_channels=4,
             padding=padding))
    x = torch.randn(2, 22, *hw)
    logits, feats = disc(x, return_features=True)
    assert logits.shape == (2, 1, *(_patch_size(s, 3, padding) for s in hw))
    assert [f.shape[1] for f in feats] == [4, 8, 16, 32]
    torch.testing.assert_close(disc(x), logits)


def test_patch_discriminator_small_maps_keep_an_output():
    # an 8x16 map (1/4 scale of a 32x64 reconstruction) with pix2pixHD's
    # padding 2: 8 -> 5 -> 3 -> 2 -> 3 -> 4 rows
    disc = MODELS.build(
        dict(type='PatchDiscriminator', in_channels=3, base_channels=2))
    assert disc(torch.randn(1, 3, 8, 16)).shape == (1, 1, 4, 5)


def test_patch_discriminator_receptive_field_is_70():
    # one logit of CycleGAN's 3-layer PatchGAN sees a 70x70 input patch
    disc = MODELS.build(
        dict(type='PatchDiscriminator', in_channels=1, base_channels=2,
             padding=1, norm_cfg=None))
    x = torch.randn(1, 1, 140, 140, requires_grad=True)
    logits = disc(x)
    logits[0, 0, 8, 8].backward()
    rows = x.grad[0, 0].abs().sum(1).nonzero()
    assert rows.max() - rows.min() + 1 == 70


def test_patch_discriminator_norm_and_width_cap():
    disc = MODELS.build(
        dict(type='PatchDiscriminator', in_channels=3, base_channels=2,
             num_layers=5))
    widths = [b[0].out_channels for b in disc.blocks]
    assert widths == [2, 4, 8, 16, 16, 16]
    # no norm on the first conv, instance norm on the others
    assert not isinstance(disc.blocks[0][1], nn.InstanceNorm2d)
    assert all(isinstance(b[1], nn.InstanceNorm2d) for b in disc.blocks[1:])
    with pytest.raises(ValueError, match=r'\(N, 3, H, W\)'):
        disc(torch.zeros(1, 4, 32, 32))
