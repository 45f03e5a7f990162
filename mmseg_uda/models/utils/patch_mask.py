"""Random patch masks of MIC (Hoyer et al., CVPR 2023, Eq. 2)."""
import math
from typing import Optional, Sequence

import torch
from torch import Tensor


def patch_mask(shape: Sequence[int],
               patch_size: int = 64,
               ratio: float = 0.7,
               generator: Optional[torch.Generator] = None,
               device=None) -> Tensor:
    """Keep-mask of square patches, each dropped with probability ``ratio``.

    MIC masks the target image by ``b x b`` patches (b = 64), each removed
    with probability r = 0.7: ``X_M = M * X_T``. Patches at the right and
    bottom border are cut to the image (decision: the image size need not
    be a multiple of b).

    Args:
        shape (Sequence[int]): (N, H, W) of the images.
        patch_size (int): b.
        ratio (float): r, the probability of dropping a patch.
        generator (torch.Generator, optional): Source of the draw (CPU).
        device: Device of the result.

    Returns:
        Tensor: (N, 1, H, W) float mask, 1 = kept, 0 = masked.
    """
    if not 0.0 <= ratio <= 1.0:
        raise ValueError(f'patch_mask: ratio must be in [0, 1], got '
                         f'{ratio!r}')
    if patch_size < 1:
        raise ValueError(f'patch_mask: patch_size must be >= 1, got '
                         f'{patch_size!r}')
    n, h, w = shape
    gh, gw = math.ceil(h / patch_size), math.ceil(w / patch_size)
    keep = (torch.rand(n, 1, gh, gw, generator=generator) >= ratio).float()
    mask = keep.repeat_interleave(patch_size, dim=2).repeat_interleave(
        patch_size, dim=3)[:, :, :h, :w]
    return mask.to(device) if device is not None else mask
