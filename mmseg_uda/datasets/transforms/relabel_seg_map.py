"""Reassign label classes, e.g. to background (global-local Table 2)."""
from typing import Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RelabelSegMap(BaseTransform):
    """Set every pixel of the given classes to one value.

    The global-local paper's Table 2 study reassigns GTA5's 'sky' and
    'building' pixels to background (ignore) for the whole training, so
    the segmentation loss, the global and the local discriminator never see
    them as labelled: ``dict(type='RelabelSegMap', classes=(2, 10))`` after
    ``LoadAnnotations``.

    Required keys: ``gt_seg_map``. Modified keys: ``gt_seg_map``.

    Args:
        classes (Sequence[int]): Label values to reassign.
        to (int): The new value. Defaults to 255 (ignore / background).
    """

    def __init__(self, classes: Sequence[int], to: int = 255) -> None:
        if isinstance(classes, (str, bytes)) or not isinstance(
                classes, (list, tuple)) or not classes:
            raise TypeError('RelabelSegMap: classes must be a non-empty list '
                            f'or tuple of label values, got {classes!r}')
        values = tuple(classes) + (to, )
        if not all(isinstance(v, int) and 0 <= v <= 255 for v in values):
            raise ValueError('RelabelSegMap: classes and `to` must be ints '
                             f'in 0..255, got {classes!r} -> {to!r}')
        self.classes = tuple(classes)
        self.to = to

    def transform(self, results: dict) -> dict:
        seg = results['gt_seg_map']
        results['gt_seg_map'] = np.where(
            np.isin(seg, self.classes), np.array(self.to, seg.dtype), seg)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(classes={self.classes}, to={self.to})'
