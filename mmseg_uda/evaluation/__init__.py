from .metrics import (ENTROPY_KEY, SYNTHIA_SUBSETS, PredictionEntropyMetric,
                      SubsetIoUMetric, normalised_entropy)

__all__ = [
    'SubsetIoUMetric', 'SYNTHIA_SUBSETS', 'PredictionEntropyMetric',
    'normalised_entropy', 'ENTROPY_KEY'
]
