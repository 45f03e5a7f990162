import pytest
import torch
from mmseg.registry import MODELS
from torch import nn

import mmseg_uda  # noqa: F401


def _build(**kwargs):
    cfg = dict(type='ResnetGenerator', in_channels=5, base_channels=4,
               num_blocks=2)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_shape_range_and_architecture():
    net = _build()
    net.init_weights()
    x = torch.randn(2, 5, 32, 48)
    y = net(x)
    assert y.shape == (2, 3, 32, 48)
    assert y.abs().max() <= 1.0
    convs = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    ups = [m for m in net.modules() if isinstance(m, nn.ConvTranspose2d)]
    # 7x7 in, 2 downsamplings, 2 convs per residual block, 7x7 out
    assert len(convs) == 1 + 2 + 2 * 2 + 1 and len(ups) == 2
    assert [c.out_channels for c in convs[:3]] == [4, 8, 16]
    assert convs[0].kernel_size == (7, 7)
    assert convs[0].padding_mode == 'reflect'
    assert [c.stride for c in convs[1:3]] == [(2, 2), (2, 2)]
    assert [u.out_channels for u in ups] == [8, 4]
    assert isinstance(net.layers[-1], nn.Tanh)
    assert sum(isinstance(m, nn.InstanceNorm2d) for m in net.modules()) \
        == 3 + 2 * 2 + 2


def test_nine_blocks_by_default():
    net = MODELS.build(dict(type='ResnetGenerator', in_channels=19,
                            base_channels=2))
    blocks = [m for m in net.modules() if type(m).__name__ == 'ResidualBlock']
    assert len(blocks) == 9


def test_residual_blocks_are_identity_plus_body():
    net = _build(num_blocks=1)
    block = [m for m in net.modules()
             if type(m).__name__ == 'ResidualBlock'][0]
    for p in block.body.parameters():
        nn.init.zeros_(p)
    x = torch.randn(1, 16, 6, 6)
    # zero convs -> the instance norm of zeros is zero -> identity
    torch.testing.assert_close(block(x), x)


def test_init_is_cyclegan_normal():
    net = MODELS.build(dict(type='ResnetGenerator', in_channels=3,
                            base_channels=32, num_blocks=1))
    net.init_weights()
    w = net.layers[0].weight
    assert abs(w.std().item() - 0.02) < 0.003
    assert torch.count_nonzero(net.layers[0].bias) == 0


def test_gradients_reach_the_input():
    net = _build()
    x = torch.randn(1, 5, 16, 16, requires_grad=True)
    net(x).sum().backward()
    assert x.grad is not None and torch.isfinite(x.grad).all()
    assert all(p.grad is not None for p in net.parameters())


def test_bad_input():
    net = _build()
    with pytest.raises(ValueError, match=r'\(N, 5, H, W\)'):
        net(torch.zeros(1, 3, 16, 16))
    with pytest.raises(ValueError, match='divisible by 4'):
        net(torch.zeros(1, 5, 18, 16))
    with pytest.raises(ValueError, match='num_blocks'):
        _build(num_blocks=-1)
