"""Per-class confidence thresholds from histograms (BDL's self-training,
SPEC 5): the threshold of class c is the median confidence of the pixels
predicted as c over the whole target set, capped::

    t_c = min(median{p | y == c}, cap)      (0 if c is never predicted)
    y[p < t_y] = 255

The median comes from a histogram of ``num_bins`` equal bins over [0, 1]
(memory ``C * num_bins`` integers, independent of the number of images):
the left edge ``m_c / num_bins`` of the bin holding the ``n_c // 2``-th
smallest confidence (0-based), i.e. the median to within one bin width,
never above it. Pure functions, tested against numpy.
"""
import torch
from torch import Tensor


def confidence_bins(conf: Tensor, num_bins: int) -> Tensor:
    """Bin index ``min(floor(p * B), B - 1)`` of confidences in [0, 1]."""
    return (conf.float() * num_bins).long().clamp_(0, num_bins - 1)


def confidence_histogram(labels: Tensor, conf: Tensor, num_classes: int,
                         num_bins: int) -> Tensor:
    """Per-class histogram of the confidences of the predicted pixels.

    Args:
        labels (Tensor): Predicted classes, any shape, values in
            ``0..num_classes - 1``.
        conf (Tensor): Confidences in [0, 1], same shape.
        num_classes (int): C.
        num_bins (int): B equal bins over [0, 1].

    Returns:
        Tensor: (C, B) int64 counts, on the device of ``labels``.
    """
    flat = labels.reshape(-1).long() * num_bins + confidence_bins(
        conf.reshape(-1), num_bins)
    return torch.bincount(flat, minlength=num_classes * num_bins).view(
        num_classes, num_bins)


def median_thresholds(hist: Tensor, cap: float = 0.9) -> Tensor:
    """Per-class threshold ``min(median, cap)`` from (C, B) histograms.

    The median of class ``c`` (``n_c`` pixels) is taken as the left edge
    ``m / B`` of the bin ``m`` holding the ``n_c // 2``-th smallest value
    (0-based), so it lies within one bin width below the exact value;
    classes without pixels get 0.

    Returns:
        Tensor: (C,) float64 thresholds.
    """
    hist = hist.detach().cpu().long()
    num_bins = hist.shape[1]
    counts = hist.sum(dim=1)
    cum = hist.cumsum(dim=1)
    # first bin whose cumulative count exceeds n // 2
    rank = (counts // 2)[:, None]
    median_bin = (cum <= rank).sum(dim=1).clamp_(max=num_bins - 1)
    thresholds = median_bin.double() / num_bins
    thresholds = thresholds.clamp(max=cap)
    thresholds[counts == 0] = 0.0
    return thresholds


def apply_thresholds(labels: Tensor,
                     conf: Tensor,
                     thresholds: Tensor,
                     ignore_index: int = 255) -> Tensor:
    """``labels`` with ``ignore_index`` where ``conf < thresholds[label]``.
    """
    thr = thresholds.to(device=labels.device,
                        dtype=torch.float32)[labels.long()]
    out = labels.clone()
    out[conf.float() < thr] = ignore_index
    return out
