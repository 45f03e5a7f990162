from .prediction_entropy import (ENTROPY_KEY, PredictionEntropyMetric,
                                 normalised_entropy)
from .subset_iou_metric import SYNTHIA_SUBSETS, SubsetIoUMetric

__all__ = [
    'SubsetIoUMetric', 'SYNTHIA_SUBSETS', 'PredictionEntropyMetric',
    'normalised_entropy', 'ENTROPY_KEY'
]
