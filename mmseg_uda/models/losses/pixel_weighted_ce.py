"""Pixel-weighted cross-entropy of self-training on pseudo labels (DACS,
DAFormer, MIC)."""
import torch
import torch.nn.functional as F
from torch import Tensor


def pixel_weighted_cross_entropy(logits: Tensor,
                                 labels: Tensor,
                                 weights: Tensor,
                                 ignore_index: int = 255) -> Tensor:
    """``sum_i w_i * -log softmax(z_i)[y_i] / #valid``.

    DACS's mixed loss and DAFormer's / MIC's target losses weight every
    pixel's cross-entropy by q (1 for pixels with a ground-truth label, the
    image's confidence share for pseudo-labelled ones). The sum runs over
    the valid pixels (``labels != ignore_index``) and is divided by their
    number; a batch without valid pixels gives 0. Computed in fp32.

    Args:
        logits (Tensor): (N, C, H, W), at the labels' size.
        labels (Tensor): (N, H, W) long.
        weights (Tensor): (N, H, W) float, q per pixel.
        ignore_index (int): Label of pixels without a loss.

    Returns:
        Tensor: scalar.
    """
    if logits.shape[2:] != labels.shape[1:] or labels.shape != weights.shape:
        raise ValueError(
            'pixel_weighted_cross_entropy: logits '
            f'{tuple(logits.shape)}, labels {tuple(labels.shape)} and '
            f'weights {tuple(weights.shape)} must agree on (N, H, W)')
    with torch.autocast(device_type=logits.device.type, enabled=False):
        ce = F.cross_entropy(logits.float(),
                             labels,
                             ignore_index=ignore_index,
                             reduction='none')
        valid = labels != ignore_index
        total = (ce * weights.float() * valid).sum()
        return total / valid.sum().clamp(min=1)
