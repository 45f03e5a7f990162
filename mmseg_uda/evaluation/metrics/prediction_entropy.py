"""Label-free model selection: mean prediction entropy on target images.

Lower entropy of the target predictions is read as "more confident, so
better adapted" (ADVENT's argument for minimising it); as a selection rule
it needs no target labels. Whether it tracks mIoU on a given run is an
empirical question: ``tools/analysis/model_selection.py`` reports the
correlation over a run's evaluations.
"""
import math
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch.nn.functional as F
from mmengine.evaluator import BaseMetric
from torch import Tensor

from mmseg.registry import METRICS

#: Metric key written to the logs.
ENTROPY_KEY = 'pred_entropy'


def normalised_entropy(seg_logits: Tensor) -> Tensor:
    """Per-pixel entropy of ``softmax(seg_logits)`` divided by log C.

    ``H(x) = -sum_c p_c log p_c / log C`` is 0 for a one-hot prediction
    and 1 for the uniform one.

    Args:
        seg_logits (Tensor): (C, H, W) logits of one image.

    Returns:
        Tensor: (H, W) fp32 in [0, 1].
    """
    if seg_logits.dim() != 3 or seg_logits.shape[0] < 2:
        raise ValueError('normalised_entropy expects (C, H, W) logits with '
                         f'C >= 2, got {tuple(seg_logits.shape)}')
    log_p = F.log_softmax(seg_logits.float(), dim=0)
    ent = -(log_p.exp() * log_p).sum(dim=0)
    return ent / math.log(seg_logits.shape[0])


def image_entropy(data_sample: dict) -> float:
    """Mean normalised entropy of one predicted sample, NaN without
    ``seg_logits``."""
    logits = data_sample.get('seg_logits')
    if logits is None:
        return float('nan')
    data = logits['data'] if isinstance(logits, dict) else logits.data
    return float(normalised_entropy(data).mean())


@METRICS.register_module()
class PredictionEntropyMetric(BaseMetric):
    """Mean over images of the mean normalised prediction entropy.

    Reads ``seg_logits`` (MMSeg's segmentors put them in every predicted
    sample) and needs no labels. Returns ``{'pred_entropy': value}`` in
    [0, 1]. ``SubsetIoUMetric(prediction_entropy=True)`` reports the same
    value next to mIoU without a second metric in the evaluator.
    """
    default_prefix: Optional[str] = None

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append(image_entropy(sample))

    def compute_metrics(self, results: List[float]) -> Dict[str, float]:
        return {ENTROPY_KEY: mean_entropy(results)}


def mean_entropy(values: Sequence[float]) -> float:
    """Mean of the images' entropies (NaN entries skipped), 4 decimals."""
    arr = np.asarray(values, dtype=np.float64)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        raise ValueError('prediction entropy: no sample had seg_logits')
    return float(np.round(arr.mean(), 4))
