"""IoU metric that also reports class-subset means (SPEC 3, 'Evaluation').

SYNTHIA -> Cityscapes results are reported as mIoU over 19, 16 and 13
classes. In the AdaptSegNet lineage the subsets are taken from the SAME
19-class per-class IoU vector, which in turn comes from one confusion matrix
accumulated over the whole validation set (not a mean of per-image IoUs).
"""
import math
import numbers
from collections import OrderedDict
from typing import Dict, List, Mapping, Optional, Sequence

import numpy as np
import torch
from mmengine.logging import MMLogger, print_log
from mmseg.evaluation import IoUMetric
from mmseg.registry import METRICS
from prettytable import PrettyTable

from .prediction_entropy import ENTROPY_KEY, image_entropy, mean_entropy

# Subsets of the 19 Cityscapes train ids used for SYNTHIA -> Cityscapes.
# mIoU16 drops terrain (9), truck (14), train (16); mIoU13 also drops
# wall (3), fence (4), pole (5).
SYNTHIA_SUBSETS = dict(
    mIoU16=[0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 17, 18],
    mIoU13=[0, 1, 2, 6, 7, 8, 10, 11, 12, 13, 15, 17, 18])


def _nanmean_percent(values: np.ndarray) -> float:
    """Nan-mean of ``values`` in percent, rounded like IoUMetric (2 dec.).

    Returns NaN (not a numpy warning) when every entry is NaN.
    """
    values = np.asarray(values, dtype=np.float64)
    valid = values[~np.isnan(values)]
    if valid.size == 0:
        return float('nan')
    return float(np.round(valid.mean() * 100, 2))


@METRICS.register_module()
class SubsetIoUMetric(IoUMetric):
    """Dataset-level IoU with per-class entries and named class subsets.

    Per image, :meth:`IoUMetric.intersect_and_union` (inherited) gives the
    per-class areas; they are summed over the whole dataset, which equals
    reading them off one confusion matrix ``M`` (rows GT, cols prediction)::

        IoU_c = M_cc / (sum_j M_cj + sum_i M_ic - M_cc)     (NaN if 0 / 0)
        Acc_c = M_cc / sum_j M_cj
        aAcc  = trace(M) / sum(M)
        mIoU  = nanmean_c IoU_c
        <subset name> = nanmean_{c in subset} IoU_c

    A class absent from both ground truth and predictions has IoU NaN and
    is left out of every mean. Values are in percent, like ``IoUMetric``.

    Args:
        subsets (dict[str, list[int]], optional): Named class subsets, e.g.
            ``dict(mIoU16=[...], mIoU13=[...])``; each name becomes a key of
            the returned metrics. Indices must be in ``[0, num_classes)``
            (checked against the dataset's classes at compute time).
            Defaults to None (no subsets).
        per_class (bool): Also return ``IoU.<class name>`` and
            ``Acc.<class name>`` so they reach the log and TensorBoard.
            Defaults to True.
        num_classes (int, optional): If given, subset indices are checked at
            construction already. Defaults to None.
        prediction_entropy (bool): Also return ``pred_entropy``, the mean
            normalised entropy of the predictions (label-free model
            selection, see ``PredictionEntropyMetric``). Defaults to True.
        **kwargs: Passed to :class:`mmseg.evaluation.IoUMetric`
            (``ignore_index``, ``iou_metrics``, ``output_dir``, ...).
            ``iou_metrics`` must contain ``'mIoU'`` when subsets are given.

    Example:
        >>> val_evaluator = dict(
        ...     type='SubsetIoUMetric',
        ...     iou_metrics=['mIoU'],
        ...     subsets=dict(mIoU16=[0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12,
        ...                          13, 15, 17, 18]))
    """

    def __init__(self,
                 subsets: Optional[Mapping[str, Sequence[int]]] = None,
                 per_class: bool = True,
                 num_classes: Optional[int] = None,
                 prediction_entropy: bool = True,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.prediction_entropy = prediction_entropy
        if isinstance(self.metrics, str):
            self.metrics = [self.metrics]
        self.subsets = self._check_subsets(subsets)
        if self.subsets and 'mIoU' not in self.metrics:
            raise ValueError(
                'SubsetIoUMetric: subsets are means of per-class IoU, so '
                f"iou_metrics must contain 'mIoU', got {self.metrics}")
        self.per_class = per_class
        if num_classes is not None:
            self._check_indices(num_classes)

    def _check_subsets(
        self, subsets: Optional[Mapping[str, Sequence[int]]]
    ) -> 'OrderedDict[str, List[int]]':
        """Validate the subset names and indices (range checked later)."""
        checked: 'OrderedDict[str, List[int]]' = OrderedDict()
        if subsets is None:
            return checked
        if not isinstance(subsets, Mapping):
            raise TypeError('SubsetIoUMetric: subsets must be a dict of '
                            'name -> list of class indices, got '
                            f'{type(subsets).__name__}')
        reserved = {
            'aAcc', 'mIoU', 'mAcc', 'mDice', 'mFscore', 'mPrecision', 'mRecall'
        }
        for name, indices in subsets.items():
            if not isinstance(name, str) or not name:
                raise ValueError('SubsetIoUMetric: subset names must be '
                                 f'non-empty strings, got {name!r}')
            if name in reserved or name.startswith(('IoU.', 'Acc.')):
                raise ValueError(f'SubsetIoUMetric: subset name {name!r} '
                                 'clashes with a metric key of IoUMetric')
            if isinstance(indices, (str, bytes)) or not isinstance(
                    indices, Sequence) or len(indices) == 0:
                raise ValueError(f'SubsetIoUMetric: subset {name!r} must be '
                                 'a non-empty list of class indices, got '
                                 f'{indices!r}')
            for idx in indices:
                if isinstance(idx, bool) or not isinstance(
                        idx, numbers.Integral) or idx < 0:
                    raise ValueError(
                        f'SubsetIoUMetric: subset {name!r} holds {idx!r}; '
                        'class indices must be integers >= 0')
            if len(set(indices)) != len(indices):
                raise ValueError(f'SubsetIoUMetric: subset {name!r} lists a '
                                 f'class twice: {list(indices)}')
            checked[name] = [int(i) for i in indices]
        return checked

    def _check_indices(self, num_classes: int) -> None:
        """Raise if a subset names a class index ``>= num_classes``."""
        for name, indices in self.subsets.items():
            bad = [i for i in indices if i >= num_classes]
            if bad:
                raise ValueError(
                    f'SubsetIoUMetric: subset {name!r} holds class indices '
                    f'{bad} outside [0, {num_classes}) (the dataset has '
                    f'{num_classes} classes)')

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """IoUMetric's four areas per image, plus its prediction entropy
        (a fifth entry, so it is gathered across ranks with the areas)."""
        start = len(self.results)
        super().process(data_batch, data_samples)
        if self.prediction_entropy and len(self.results) > start:
            for i, sample in zip(range(start, len(self.results)),
                                 data_samples):
                self.results[i] = tuple(
                    self.results[i]) + (image_entropy(sample), )

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Sum the per-image areas and compute the metrics.

        Args:
            results (list[tuple[Tensor]]): Per image, the four ``(C, )``
                tensors (intersect, union, pred area, label area) produced by
                :meth:`IoUMetric.intersect_and_union`.

        Returns:
            dict[str, float]: ``aAcc``, ``mIoU``, ``mAcc`` (and ``mDice`` ...
            if requested), one key per subset, and ``IoU.<name>`` /
            ``Acc.<name>`` per class when ``per_class``; in percent.
        """
        logger: MMLogger = MMLogger.get_current_instance()
        if self.format_only:
            # Predictions were written by process(); nothing to score.
            logger.info(f'results are saved to {self.output_dir}')
            return OrderedDict()
        class_names = list(self.dataset_meta['classes'])
        num_classes = len(class_names)
        self._check_indices(num_classes)
        if len(results) == 0:
            raise ValueError('SubsetIoUMetric: no results to evaluate (empty '
                             'validation/test set?)')

        # One sum over all images == reading the areas off one confusion
        # matrix of the whole dataset (never a mean of per-image IoUs).
        entropies = [r[4] for r in results if len(r) == 5]
        areas = [
            torch.stack(parts).sum(dim=0)
            for parts in zip(*[r[:4] for r in results])
        ]
        intersect, union, pred_area, label_area = areas
        per_class = self.total_area_to_metrics(intersect, union, pred_area,
                                               label_area, self.metrics,
                                               self.nan_to_num, self.beta)

        metrics: Dict[str, float] = OrderedDict()
        metrics['aAcc'] = _nanmean_percent(per_class.pop('aAcc'))
        for key, values in per_class.items():
            metrics['m' + key] = _nanmean_percent(values)
        for name, indices in self.subsets.items():
            metrics[name] = _nanmean_percent(per_class['IoU'][indices])
        if entropies and not all(e != e for e in entropies):
            metrics[ENTROPY_KEY] = mean_entropy(entropies)

        self._log_tables(class_names, per_class, metrics, logger)

        if self.per_class:
            for key in ('IoU', 'Acc'):
                if key not in per_class:
                    continue
                # float64 first: rounding a float32 gives 78.2399978...
                values = np.asarray(per_class[key], dtype=np.float64)
                for cls_name, value in zip(class_names, values):
                    metrics[f'{key}.{cls_name}'] = float(
                        np.round(value * 100, 2))
        return metrics

    def _log_tables(self, class_names: List[str], per_class: Dict[str,
                                                                  np.ndarray],
                    metrics: Dict[str, float], logger: MMLogger) -> None:
        """Print the per-class table and a summary table to the log."""
        class_table = PrettyTable()
        class_table.add_column('Class', class_names)
        for key, values in per_class.items():
            class_table.add_column(key, [
                round(float(v) * 100, 2) if not math.isnan(v) else 'nan'
                for v in np.asarray(values, dtype=np.float64)
            ])
        print_log('per class results:', logger)
        print_log('\n' + class_table.get_string(), logger=logger)

        summary = PrettyTable()
        for key, value in metrics.items():
            summary.add_column(key, [value])
        print_log('summary (subsets from the same per-class IoU):', logger)
        print_log('\n' + summary.get_string(), logger=logger)
