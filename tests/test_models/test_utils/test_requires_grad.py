import pytest
from torch import nn

from mmseg_uda.models.utils import requires_grad


def test_sets_and_restores_flags():
    net = nn.Sequential(nn.Conv2d(1, 1, 1), nn.Conv2d(1, 1, 1))
    net[1].bias.requires_grad_(False)  # deliberately frozen
    before = [p.requires_grad for p in net.parameters()]
    with requires_grad(net.parameters(), False):
        assert not any(p.requires_grad for p in net.parameters())
    assert [p.requires_grad for p in net.parameters()] == before
    with requires_grad(net.parameters(), True):
        assert all(p.requires_grad for p in net.parameters())
    assert [p.requires_grad for p in net.parameters()] == before


def test_restores_flags_when_the_body_raises():
    net = nn.Conv2d(1, 1, 1)
    with pytest.raises(RuntimeError):
        with requires_grad(net.parameters(), False):
            raise RuntimeError('step failed')
    assert all(p.requires_grad for p in net.parameters())
