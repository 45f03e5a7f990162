"""ClassMix (DACS, Tranheden et al., WACV 2021): masks, mixing and the
confidence weight of pseudo labels."""
from typing import Optional

import torch
from torch import Tensor


def class_mix_mask(label: Tensor,
                   ignore_index: int = 255,
                   generator: Optional[torch.Generator] = None) -> Tensor:
    """Mask of half of the classes present in one source label (DACS Eq. 2).

    The classes of ``label`` (``ignore_index`` excluded) are shuffled and
    the first ceil(n / 2) are kept; the mask is True where the label is one
    of them. Decision: an odd number of classes rounds up (the paper says
    "half"); void pixels are never pasted.

    Args:
        label (Tensor): (H, W) integer label of the source image.
        ignore_index (int): Label of void pixels.
        generator (torch.Generator, optional): Source of the class draw.

    Returns:
        Tensor: (H, W) bool.
    """
    if label.dim() != 2:
        raise ValueError(f'class_mix_mask: expected an (H, W) label, got '
                         f'shape {tuple(label.shape)}')
    classes = torch.unique(label)
    classes = classes[classes != ignore_index]
    if classes.numel() == 0:
        return torch.zeros_like(label, dtype=torch.bool)
    order = torch.randperm(classes.numel(), generator=generator,
                           device='cpu').to(classes.device)
    chosen = classes[order[:(classes.numel() + 1) // 2]]
    return torch.isin(label, chosen)


def mix(mask: Tensor, source: Tensor, target: Tensor) -> Tensor:
    """``mask * source + (1 - mask) * target`` (DACS Eq. 1 and 3).

    Args:
        mask (Tensor): (N, H, W) bool.
        source (Tensor): (N, C, H, W) images or (N, H, W) labels.
        target (Tensor): The same shape as ``source``.
    """
    if source.shape != target.shape:
        raise ValueError(f'mix: source {tuple(source.shape)} and target '
                         f'{tuple(target.shape)} differ')
    m = mask if source.dim() == mask.dim() else mask.unsqueeze(1)
    return torch.where(m, source, target)


def confidence_weight(probs: Tensor, threshold: float = 0.968) -> Tensor:
    """Share of pixels whose top softmax probability exceeds ``threshold``,
    one value per image (DACS / DAFormer: the weight q of the pseudo-label
    loss; tau = 0.968).

    Args:
        probs (Tensor): (N, C, H, W) softmax of the teacher.
        threshold (float): tau.

    Returns:
        Tensor: (N,) in [0, 1].
    """
    top = probs.max(dim=1).values
    return (top > threshold).float().flatten(1).mean(dim=1)
