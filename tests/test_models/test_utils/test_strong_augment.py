import math

import pytest
import torch

from mmseg_uda.models.utils.strong_augment import (StrongAugment,
                                                   color_jitter,
                                                   gaussian_blur, rotate_hue)

MEAN = [123.675, 116.28, 103.53]
STD = [58.395, 57.12, 57.375]


def _ones(n):
    return torch.ones(n)


def test_identity_factors_leave_images_unchanged():
    rgb = torch.rand(2, 3, 5, 6)
    out = color_jitter(rgb, _ones(2), _ones(2), _ones(2), torch.zeros(2))
    assert torch.allclose(out, rgb, atol=1e-5)
    # a full turn of hue is the identity too
    assert torch.allclose(rotate_hue(rgb, torch.ones(2)), rgb, atol=1e-5)


def test_jitter_factors_by_hand():
    grey = torch.full((1, 3, 2, 2), 0.4)
    # brightness 1.5: 0.6; contrast and saturation act on no contrast /
    # no colour; a hue turn leaves grey grey
    out = color_jitter(grey, torch.tensor([1.5]), torch.tensor([0.3]),
                       torch.tensor([2.0]), torch.tensor([0.25]))
    assert torch.allclose(out, torch.full_like(grey, 0.6), atol=1e-5)
    # contrast 0.5 halves the distance to the mean grey level
    img = torch.zeros(1, 3, 1, 2)
    img[..., 1] = 1.0  # one black and one white pixel, mean 0.5
    out = color_jitter(img, _ones(1), torch.tensor([0.5]), _ones(1),
                       torch.zeros(1))
    assert torch.allclose(out[0, :, 0], torch.tensor([[0.25, 0.75]] * 3),
                          atol=1e-5)
    # saturation 0 gives the luma grey
    red = torch.zeros(1, 3, 1, 1)
    red[:, 0] = 1.0
    out = color_jitter(red, _ones(1), _ones(1), torch.zeros(1),
                       torch.zeros(1))
    assert torch.allclose(out.flatten(), torch.full((3, ), 0.299),
                          atol=1e-5)
    # a hue rotation keeps luma
    rgb = torch.rand(3, 3, 4, 4) * 0.5 + 0.25
    luma = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)
    rotated = rotate_hue(rgb, torch.tensor([0.1, 0.3, 0.5]))
    assert torch.allclose((rotated * luma).sum(1), (rgb * luma).sum(1),
                          atol=1e-5)
    assert not torch.allclose(rotated, rgb, atol=1e-3)


def test_gaussian_blur():
    flat = torch.full((1, 3, 6, 7), 0.3)
    assert torch.allclose(gaussian_blur(flat, 1.0, 5), flat, atol=1e-6)
    impulse = torch.zeros(1, 1, 9, 9)
    impulse[0, 0, 4, 4] = 1.0
    out = gaussian_blur(impulse, 1.0, 3)
    w = torch.tensor([math.exp(-0.5), 1.0, math.exp(-0.5)])
    w = w / w.sum()
    assert torch.allclose(out[0, 0, 3:6, 3:6], torch.outer(w, w), atol=1e-6)
    assert out.sum().item() == pytest.approx(1.0, rel=1e-5)
    with pytest.raises(ValueError, match='odd'):
        gaussian_blur(impulse, 1.0, 4)


def test_strong_augment_round_trip_and_probabilities():
    images = torch.randn(4, 3, 16, 20)
    off = StrongAugment(MEAN, STD, jitter_prob=0.0, blur_prob=0.0)
    # normalisation undone and redone: values inside [0, 255] survive
    inside = (images.clamp(-1.5, 1.5))
    assert torch.allclose(off(inside), inside, atol=1e-4)
    on = StrongAugment(MEAN, STD, jitter_prob=1.0, blur_prob=1.0)
    out = on(inside, generator=torch.Generator().manual_seed(0))
    assert out.shape == inside.shape
    assert not torch.allclose(out, inside, atol=1e-2)
    # the same draws for the same generator state
    again = on(inside, generator=torch.Generator().manual_seed(0))
    assert torch.equal(out, again)
    # BGR inputs: jittering the channels in the other order is the same
    # augmentation of the flipped image
    bgr = StrongAugment(MEAN[::-1], STD[::-1], rgb=False, jitter_prob=1.0,
                        blur_prob=0.0)
    rgb = StrongAugment(MEAN, STD, jitter_prob=1.0, blur_prob=0.0)
    flipped = inside.flip(1)
    a = bgr(flipped, generator=torch.Generator().manual_seed(3))
    b = rgb(inside, generator=torch.Generator().manual_seed(3))
    assert torch.allclose(a.flip(1), b, atol=1e-4)
