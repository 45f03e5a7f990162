"""ADVENT's weighted self-information and entropy (MinEnt) loss."""
import math

import torch
from torch import Tensor

#: Added inside the log as ADVENT does, so log2(0) never appears.
EPS = 1e-30


def _check_probs(probs: Tensor) -> None:
    if probs.dim() != 4 or probs.shape[1] < 2:
        raise ValueError('expected class probabilities (N, C, H, W) with '
                         f'C >= 2, got shape {tuple(probs.shape)}')


def self_information(probs: Tensor) -> Tensor:
    """Normalised weighted self-information map of ADVENT.

    ``I[n, c, h, w] = -p * log2(p + 1e-30) / log2(C)``, computed in fp32.
    Summed over channels it is the pixel's entropy divided by its maximum
    ``log2(C)``, hence in [0, 1]. ADVENT's discriminator sees this map
    instead of the softmax.

    Args:
        probs (Tensor): Class probabilities (softmax), (N, C, H, W).

    Returns:
        Tensor: (N, C, H, W) fp32.
    """
    _check_probs(probs)
    with torch.autocast(device_type=probs.device.type, enabled=False):
        p = probs.float()
        return -p * torch.log2(p + EPS) / math.log2(p.shape[1])


def entropy_loss(probs: Tensor) -> Tensor:
    """MinEnt loss: normalised entropy averaged over pixels (ADVENT).

    ``L = 1 / (N H W) * sum_{n,h,w} sum_c -p log2(p + 1e-30) / log2(C)``,
    i.e. the mean over pixels of the channel sum of
    :func:`self_information`; fp32.

    Args:
        probs (Tensor): Class probabilities (softmax), (N, C, H, W).

    Returns:
        Tensor: Scalar fp32 loss in [0, 1].
    """
    return self_information(probs).sum(dim=1).mean()
