import pytest
import torch

from mmseg.registry import MODELS

from ldr_toys import TOY_D


def test_three_scales_shapes_and_features():
    disc = MODELS.build(dict(TOY_D, in_channels=7))
    assert len(disc.discriminators) == 3
    # same architecture, separate weights
    w = [d.conv1.weight for d in disc.discriminators]
    assert w[0] is not w[1] and w[0].shape == w[1].shape
    x = torch.randn(2, 7, 64, 48)
    logits = disc(x)
    # toy PatchGAN halves once: scales 1, 1/2, 1/4 -> 32, 16, 8 rows
    assert [tuple(o.shape) for o in logits] == [(2, 1, 32, 24),
                                                (2, 1, 16, 12),
                                                (2, 1, 8, 6)]
    with_feats = disc(x, return_features=True)
    for (lg, feats), plain in zip(with_feats, logits):
        torch.testing.assert_close(lg, plain)
        assert len(feats) == 1 and feats[0].shape[1] == 4


def test_each_scale_sees_the_pooled_input():
    disc = MODELS.build(dict(TOY_D, in_channels=1))
    seen = []
    for d in disc.discriminators:
        d.register_forward_pre_hook(lambda m, args: seen.append(args[0]))
    x = torch.arange(64.).view(1, 1, 8, 8)  # x[r, c] = 8 r + c
    disc(x)
    assert [s.shape[-1] for s in seen] == [8, 4, 2]
    # 3x3 average, stride 2, padding not counted: the top-left output
    # averages x[0:2, 0:2] = (0 + 1 + 8 + 9) / 4
    assert seen[1][0, 0, 0, 0].item() == pytest.approx(4.5)
    # output (1, 1) averages x[1:4, 1:4], a linear ramp: its centre x[2, 2]
    assert seen[1][0, 0, 1, 1].item() == pytest.approx(18.0)
    # scale 1/4 pools the 1/2 map again: top-left = mean of its 2x2 corner
    assert seen[2][0, 0, 0, 0].item() == pytest.approx(
        seen[1][0, 0, :2, :2].mean().item())


def test_with_registered_patch_discriminator():
    disc = MODELS.build(
        dict(type='MultiScalePatchDiscriminator', in_channels=22,
             discriminator=dict(type='PatchDiscriminator',
                                base_channels=8)))
    x = torch.randn(1, 22, 64, 64)
    outs = disc(x, return_features=True)
    assert len(outs) == 3
    sizes = [lg.shape[-1] for lg, _ in outs]
    assert sizes[0] > sizes[1] > sizes[2] >= 1
    assert all(lg.shape[1] == 1 and len(f) >= 1 for lg, f in outs)


def test_bad_input():
    disc = MODELS.build(dict(TOY_D, in_channels=5))
    with pytest.raises(ValueError, match='5'):
        disc(torch.zeros(1, 4, 8, 8))
    with pytest.raises(ValueError, match='num_scales'):
        MODELS.build(dict(TOY_D, in_channels=5, num_scales=0))
