"""Affinity regression (AR) loss with the square-root affinity.

Cao, "Use square root affinity to regress label in semantic segmentation"
(papers/affinity-regression-loss.txt), SPEC 4.2.
"""
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

GridSize = Union[int, Tuple[int, int]]

SAMPLING_MODES = ('nearest', 'avg')
REDUCTIONS = ('none', 'mean', 'sum')


def _grid_hw(size: GridSize) -> Tuple[int, int]:
    if isinstance(size, int):
        size = (size, size)
    size = tuple(int(s) for s in size)
    if len(size) != 2 or min(size) < 1:
        raise ValueError('a grid size is an int or an (h, w) pair of '
                         f'positive ints, got {size}')
    return size


def nearest_grid_index(height: int, width: int,
                       grid_sizes: Sequence[GridSize],
                       device: torch.device) -> Tensor:
    """Flat pixel indices of the concatenated nearest-neighbour grids.

    For an ``s_h x s_w`` grid the row of cell ``k`` is ``floor(k * H /
    s_h)`` (same for columns): the index rule of
    ``F.interpolate(mode='nearest')``, so label and probabilities sampled
    with it sit at the same locations (paper 3.1-3.2: "the down-sampling
    location is aligned with label operations").

    Args:
        height (int): H of the full-resolution map.
        width (int): W of the full-resolution map.
        grid_sizes (Sequence[int | tuple]): Grids, e.g. ``(12, 6)``.
        device (torch.device): Device of the returned index.

    Returns:
        Tensor: (L,) int64 indices into a flattened (H*W) map, grids in the
        given order, each row-major; L = sum of s_h * s_w (180 by default).
    """
    parts = []
    for size in grid_sizes:
        gh, gw = _grid_hw(size)
        rows = torch.div(torch.arange(gh, device=device) * height,
                         gh,
                         rounding_mode='floor')
        cols = torch.div(torch.arange(gw, device=device) * width,
                         gw,
                         rounding_mode='floor')
        parts.append((rows[:, None] * width + cols[None, :]).flatten())
    return torch.cat(parts)


def sqrt_affinity(sqrt_probs: Tensor) -> Tensor:
    """Square-root affinity ``A = sqrt(P)^T sqrt(P)`` (paper eq. 5, 10).

    ``A_ij = sum_c sqrt(p_ic p_jc)`` is the Bhattacharyya coefficient of
    the class distributions at positions i and j: in [0, 1], 1 iff equal.

    Args:
        sqrt_probs (Tensor): Element-wise square roots of probabilities,
            (B, C, L).

    Returns:
        Tensor: (B, L, L) in the dtype of the input.
    """
    return torch.bmm(sqrt_probs.transpose(1, 2), sqrt_probs)


def label_affinity(labels: Tensor) -> Tensor:
    """Label affinity ``M_ij = [y_i == y_j]`` (paper eq. 3).

    Args:
        labels (Tensor): (B, L) integer labels.

    Returns:
        Tensor: (B, L, L) fp32 of zeros and ones.
    """
    return (labels[:, :, None] == labels[:, None, :]).float()


@MODELS.register_module()
class AffinityRegressionLoss(nn.Module):
    """Affinity regression loss ``L_ar = MSE(A, M)`` (paper eq. 3-7).

    Used as an extra entry in a decode head's ``loss_decode`` list next to
    cross-entropy (total loss ``L_ce + 0.1 L_ar``, eq. 7). The head calls it
    with logits already resized to the label size.

    Per image: the label and the softmax ``P`` are sampled at the same
    positions of each grid (default 12x12 and 6x6) and concatenated to L
    positions (180); ``A = sqrt(P)^T sqrt(P)`` and ``M_ij = [y_i == y_j]``
    are L x L; the loss is the mean of ``(A_ij - M_ij)^2`` over the pairs
    whose two labels are valid (not ``ignore_index``), the diagonal
    included as in the paper's full-matrix MSE (there ``A_ii = M_ii = 1``).
    An image without a valid position contributes 0. ``reduction='mean'``
    averages the per-image values over the batch (zeros included).

    Sampling (``sampling``):

    * ``'nearest'`` (paper): logits and label are taken at the same pixels
      (:func:`nearest_grid_index`). The softmax is applied to the sampled
      logits only, which is the same as sampling the softmax (it is
      per-pixel) and avoids a full-resolution softmax. ``sqrt(P)`` is
      ``exp(log_softmax / 2)``: exact, and its gradient
      ``sqrt(p) (delta - p) / 2`` is bounded even where ``p`` underflows
      to 0, so no epsilon is needed.
    * ``'avg'``: ``P`` is adaptively average-pooled to each grid (the
      pooled vector is still a distribution) and each cell's label is the
      majority class among its valid pixels (ties: lowest class id; a cell
      without valid pixels is ignored). ``sqrt(mean(P) + eps)`` keeps the
      gradient finite where a pooled probability is 0.

    Everything runs in fp32 with autocast disabled; fp16/bf16 logits are
    cast first.

    Args:
        grid_sizes (Sequence[int | tuple]): Grid sizes, an int for a square
            grid or (h, w). Defaults to (12, 6).
        sampling (str): ``'nearest'`` or ``'avg'``. Defaults to 'nearest'.
        eps (float): Added under the square root in ``'avg'`` mode.
            Defaults to 1e-12 (an error of at most C * 1e-6 in A).
        reduction (str): ``'mean'`` over the batch, ``'sum'`` or
            ``'none'`` (per image, (B,)). Defaults to 'mean'.
        loss_weight (float): lambda of eq. 7. Defaults to 0.1.
        loss_name (str): Key in the head's loss dict; must start with
            ``loss_`` to be optimised. Defaults to 'loss_ar'.
    """

    def __init__(self,
                 grid_sizes: Sequence[GridSize] = (12, 6),
                 sampling: str = 'nearest',
                 eps: float = 1e-12,
                 reduction: str = 'mean',
                 loss_weight: float = 0.1,
                 loss_name: str = 'loss_ar') -> None:
        super().__init__()
        if sampling not in SAMPLING_MODES:
            raise ValueError(f'sampling must be one of {SAMPLING_MODES}, '
                             f'got {sampling!r}')
        if reduction not in REDUCTIONS:
            raise ValueError(f'reduction must be one of {REDUCTIONS}, '
                             f'got {reduction!r}')
        if not grid_sizes:
            raise ValueError('grid_sizes must name at least one grid')
        self.grid_sizes: List[Tuple[int, int]] = [
            _grid_hw(s) for s in grid_sizes
        ]
        self.sampling = sampling
        self.eps = float(eps)
        self.reduction = reduction
        self.loss_weight = float(loss_weight)
        self._loss_name = loss_name

    @property
    def loss_name(self) -> str:
        """Name of the loss item in the decode head's loss dict."""
        return self._loss_name

    @property
    def num_positions(self) -> int:
        """L, the number of sampled positions (180 for grids 12 and 6)."""
        return sum(h * w for h, w in self.grid_sizes)

    def sample(self, cls_score: Tensor, label: Tensor,
               ignore_index: int) -> Tuple[Tensor, Tensor, Tensor]:
        """Sample sqrt-probabilities and labels at the grid positions.

        Args:
            cls_score (Tensor): Logits (B, C, H, W), any float dtype.
            label (Tensor): (B, H, W) class ids, ``ignore_index`` = void.
            ignore_index (int): Void label.

        Returns:
            tuple[Tensor]: ``sqrt(P)`` (B, C, L) fp32, labels (B, L) and
            validity (B, L) bool.
        """
        if cls_score.dim() != 4 or label.dim() != 3 or \
                cls_score.shape[0] != label.shape[0] or \
                cls_score.shape[2:] != label.shape[1:]:
            raise ValueError(
                'AffinityRegressionLoss expects logits (B, C, H, W) and a '
                'label (B, H, W) of the same size (decode heads resize the '
                f'logits first), got {tuple(cls_score.shape)} and '
                f'{tuple(label.shape)}')
        with torch.autocast(device_type=cls_score.device.type,
                            enabled=False):
            logits = cls_score.float()
            if self.sampling == 'nearest':
                return self._sample_nearest(logits, label, ignore_index)
            return self._sample_avg(logits, label, ignore_index)

    def _sample_nearest(self, logits: Tensor, label: Tensor,
                        ignore_index: int) -> Tuple[Tensor, Tensor, Tensor]:
        b, c, h, w = logits.shape
        index = nearest_grid_index(h, w, self.grid_sizes, logits.device)
        picked = logits.flatten(2).index_select(2, index)  # (B, C, L)
        sqrt_probs = torch.exp(0.5 * F.log_softmax(picked, dim=1))
        labels = label.flatten(1).index_select(1, index)
        return sqrt_probs, labels, labels != ignore_index

    def _sample_avg(self, logits: Tensor, label: Tensor,
                    ignore_index: int) -> Tuple[Tensor, Tensor, Tensor]:
        num_classes = logits.shape[1]
        probs = F.softmax(logits, dim=1)
        valid = (label != ignore_index) & (label >= 0) & \
            (label < num_classes)
        # One-hot of the valid pixels; pooled, it counts classes per cell.
        one_hot = torch.zeros_like(probs).scatter_(
            1, torch.where(valid, label, 0).long()[:, None],
            valid[:, None].float())
        sqrt_parts, label_parts, valid_parts = [], [], []
        for size in self.grid_sizes:
            pooled = F.adaptive_avg_pool2d(probs, size).flatten(2)
            sqrt_parts.append(torch.sqrt(pooled + self.eps))
            counts = F.adaptive_avg_pool2d(one_hot, size).flatten(2)
            best, cell_label = counts.max(dim=1)
            label_parts.append(cell_label)
            valid_parts.append(best > 0)
        labels = torch.cat(label_parts, dim=1)
        cell_valid = torch.cat(valid_parts, dim=1)
        labels = torch.where(cell_valid, labels,
                             torch.full_like(labels, ignore_index))
        return torch.cat(sqrt_parts, dim=2), labels, cell_valid

    def forward(self,
                cls_score: Tensor,
                label: Tensor,
                weight: Optional[Tensor] = None,
                ignore_index: int = 255,
                **kwargs) -> Tensor:
        """Compute ``loss_weight * L_ar``.

        Args:
            cls_score (Tensor): Logits (B, C, H, W), resized to the label.
            label (Tensor): (B, H, W) class ids.
            weight (Tensor, optional): Per-pixel weights (B, H, W), e.g.
                from a pixel sampler; a pair is weighted by ``w_i * w_j``
                (the mean still divides by the number of valid pairs).
                Only with ``sampling='nearest'``.
            ignore_index (int): Void label. Defaults to 255.

        Returns:
            Tensor: fp32 scalar (``'mean'``/``'sum'``) or (B,) (``'none'``).
        """
        sqrt_probs, labels, valid = self.sample(cls_score, label,
                                                ignore_index)
        with torch.autocast(device_type=cls_score.device.type,
                            enabled=False):
            sq_err = (sqrt_affinity(sqrt_probs) - label_affinity(labels))**2
            pair_mask = (valid[:, :, None] & valid[:, None, :]).float()
            if weight is not None:
                pair_mask = pair_mask * self._pair_weight(
                    weight, cls_score.shape[2:])
            num_pairs = (valid.sum(dim=1).float())**2
            # clamp: an image without valid pairs has a zero numerator too
            per_image = (sq_err * pair_mask).sum(dim=(1, 2)) / \
                num_pairs.clamp(min=1.0)
        if self.reduction == 'mean':
            loss = per_image.mean()
        elif self.reduction == 'sum':
            loss = per_image.sum()
        else:
            loss = per_image
        return self.loss_weight * loss

    def _pair_weight(self, weight: Tensor, size: torch.Size) -> Tensor:
        if self.sampling != 'nearest':
            raise NotImplementedError(
                'AffinityRegressionLoss: pixel weights are only supported '
                "with sampling='nearest'")
        if weight.shape[-2:] != size:
            raise ValueError(f'weight of shape {tuple(weight.shape)} does '
                             f'not match the label size {tuple(size)}')
        index = nearest_grid_index(size[0], size[1], self.grid_sizes,
                                   weight.device)
        w = weight.reshape(weight.shape[0], -1).float().index_select(1, index)
        return w[:, :, None] * w[:, None, :]

    def extra_repr(self) -> str:
        return (f'grid_sizes={self.grid_sizes}, sampling={self.sampling!r}, '
                f'loss_weight={self.loss_weight}')
