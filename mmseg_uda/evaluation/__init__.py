from .metrics import SYNTHIA_SUBSETS, SubsetIoUMetric

__all__ = ['SubsetIoUMetric', 'SYNTHIA_SUBSETS']
