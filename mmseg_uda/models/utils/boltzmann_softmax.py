"""Boltzmann (temperature) softmax of logits, LDR paper Eq. (3)."""
import torch
from torch import Tensor


def boltzmann_softmax(logits: Tensor,
                      temperature: float = 1e-3,
                      dim: int = 1) -> Tensor:
    """``softmax(logits / T)`` along ``dim``, computed in fp32.

    LDR (SPEC 4.3) turns G's logits into an almost one-hot but
    differentiable label map ``Omega = exp(z_i / T) / sum_j exp(z_j / T)``
    with ``T = 0.001``. Dividing by such a small T makes every logit
    difference a thousand times larger, so the maximum is subtracted
    *before* the division: the exponents are then all <= 0 (no overflow
    for any finite logits, no 0/0) and the largest one is exactly 0, so the
    denominator is at least 1. fp16 logits (AMP) are cast to fp32 first,
    since ``z / T`` overflows fp16 already for ``|z| > 65``.

    Subtracting the (detached) maximum does not change the function, so
    the gradient is that of the plain formula.

    Args:
        logits (Tensor): Logits, e.g. (N, C, H, W), any float dtype.
        temperature (float): T > 0. Default: 1e-3 (the paper's value).
        dim (int): Class dimension. Default: 1.

    Returns:
        Tensor: fp32 probabilities of the same shape, summing to 1 along
        ``dim``.
    """
    if not temperature > 0:
        raise ValueError(
            f'boltzmann_softmax: temperature must be > 0, got {temperature}')
    with torch.autocast(device_type=logits.device.type, enabled=False):
        z = logits.float()
        shifted = (z - z.amax(dim=dim, keepdim=True).detach()) / temperature
        weights = shifted.exp()
        return weights / weights.sum(dim=dim, keepdim=True)
