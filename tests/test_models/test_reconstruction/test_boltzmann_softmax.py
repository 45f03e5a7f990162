import math

import pytest
import torch

from mmseg_uda.models.utils import boltzmann_softmax


def test_huge_fp16_logits_are_finite_one_hot():
    g = torch.Generator().manual_seed(0)
    # |z| up to 1e4 in fp16; z / T = 1e7 would overflow fp16 and fp32 exp
    logits = (torch.rand(2, 5, 3, 4, generator=g) * 2e4 - 1e4).half()
    probs = boltzmann_softmax(logits, 1e-3)
    assert probs.dtype == torch.float32
    assert torch.isfinite(probs).all()
    torch.testing.assert_close(probs.sum(1), torch.ones(2, 3, 4))
    # the maximum is unique (ties among 60 random fp16 values checked)
    top2 = logits.float().topk(2, dim=1).values
    assert (top2[:, 0] > top2[:, 1]).all()
    one_hot = torch.zeros_like(probs).scatter_(
        1, logits.float().argmax(1, keepdim=True), 1.0)
    assert torch.equal(probs, one_hot)


def test_tie_splits_the_mass():
    logits = torch.tensor([1e4, 1e4, -3.0]).view(1, 3, 1, 1)
    probs = boltzmann_softmax(logits).flatten().tolist()
    assert probs == [0.5, 0.5, 0.0]


def test_values_against_the_formula():
    # two classes, T = 0.5: p_0 = e^(z0/T) / (e^(z0/T) + e^(z1/T))
    logits = torch.tensor([0.3, -0.2]).view(1, 2, 1, 1)
    p0 = math.exp(0.6) / (math.exp(0.6) + math.exp(-0.4))
    probs = boltzmann_softmax(logits, 0.5).flatten()
    assert probs[0].item() == pytest.approx(p0, rel=1e-6)
    assert probs[1].item() == pytest.approx(1 - p0, rel=1e-6)
    # against double-precision softmax(z / T) on random moderate logits
    z = torch.randn(2, 4, 3, 3, generator=torch.Generator().manual_seed(1))
    for t in (1.0, 0.1, 0.01):
        torch.testing.assert_close(boltzmann_softmax(z, t).double(),
                                   torch.softmax(z.double() / t, 1),
                                   rtol=1e-5,
                                   atol=1e-6)


def test_gradient_flows_to_the_logits():
    z = torch.randn(1, 3, 2, 2, generator=torch.Generator().manual_seed(2))
    weights = torch.randn(1, 3, 2, 2,
                          generator=torch.Generator().manual_seed(3))
    a = z.clone().requires_grad_()
    (boltzmann_softmax(a, 0.5) * weights).sum().backward()
    b = z.double().requires_grad_()
    (torch.softmax(b / 0.5, 1) * weights.double()).sum().backward()
    assert a.grad.abs().sum() > 0
    torch.testing.assert_close(a.grad.double(), b.grad, rtol=1e-5, atol=1e-7)


def test_fp32_under_autocast():
    z = torch.randn(1, 3, 2, 2)
    with torch.autocast(device_type='cpu', dtype=torch.bfloat16):
        probs = boltzmann_softmax(z.bfloat16() * 100)
    assert probs.dtype == torch.float32
    assert torch.isfinite(probs).all()


@pytest.mark.parametrize('t', [0.0, -1.0])
def test_bad_temperature(t):
    with pytest.raises(ValueError, match='temperature'):
        boltzmann_softmax(torch.zeros(1, 2, 1, 1), t)
