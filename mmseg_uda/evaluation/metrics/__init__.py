from .subset_iou_metric import SYNTHIA_SUBSETS, SubsetIoUMetric

__all__ = ['SubsetIoUMetric', 'SYNTHIA_SUBSETS']
