"""Per-sample label validation (SPEC section 6)."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class CheckSegMap(BaseTransform):
    """Check a freshly loaded label map against its image.

    Place it right after ``LoadAnnotations``. It raises ``ValueError``
    naming ``results['seg_map_path']`` when

    * the label's (H, W) differs from the image's loaded size, or
    * a label value is neither in ``0..num_classes - 1`` nor
      ``ignore_index``.

    The image size is read from ``results[shape_key]``; the default
    ``'ori_shape'`` is the size of the image as read from disk, so the check
    also holds in pipelines that resize the image before loading the label
    (Cityscapes val: the label stays at full resolution).

    A sample without a label file (no ``seg_map_path``: image-only data,
    or MMSeg's ``inference_model``, which drops ``LoadAnnotations`` from
    the test pipeline) passes unchecked; a sample that has a label file
    but no loaded ``gt_seg_map`` is a pipeline mistake and raises.

    Required keys: ``gt_seg_map`` (when ``seg_map_path`` is set),
    ``shape_key``. Modified keys: none.

    Args:
        num_classes (int): Number of classes of the label space.
        ignore_index (int): The allowed void value. Defaults to 255.
        shape_key (str): Results key holding the image (H, W).
            Defaults to ``'ori_shape'``; use ``'img_shape'`` when image and
            label were resized together before this transform.
    """

    def __init__(self,
                 num_classes: int,
                 ignore_index: int = 255,
                 shape_key: str = 'ori_shape') -> None:
        if not isinstance(num_classes, int) or num_classes < 1:
            raise ValueError(f'CheckSegMap: num_classes must be a positive '
                             f'int, got {num_classes!r}')
        self.num_classes = num_classes
        self.ignore_index = ignore_index
        self.shape_key = shape_key

    def transform(self, results: dict) -> Optional[dict]:
        """Validate ``results['gt_seg_map']`` (H, W); return ``results``."""
        path = results.get('seg_map_path')
        if 'gt_seg_map' not in results:
            if not path:
                return results  # nothing to check: no label for this image
            raise KeyError(f'CheckSegMap: no gt_seg_map for {path!r}; place '
                           'it after LoadAnnotations')
        path = path or '<unknown label file>'
        seg = results['gt_seg_map']
        img_shape = tuple(results[self.shape_key][:2])
        if tuple(seg.shape[:2]) != img_shape or seg.ndim != 2:
            raise ValueError(
                f'label {path!r} has shape {tuple(seg.shape)} but its image '
                f'{results.get("img_path")!r} is {img_shape} (H, W); '
                'expected a single-channel label of the image size')
        values = np.unique(seg)
        bad = values[((values < 0) | (values >= self.num_classes))
                     & (values != self.ignore_index)]
        if bad.size:
            shown = bad[:10].tolist()
            raise ValueError(
                f'label {path!r} holds values {shown}'
                f'{" ..." if bad.size > 10 else ""} outside the label space '
                f'(expected 0..{self.num_classes - 1} or '
                f'{self.ignore_index})')
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_classes={self.num_classes}, '
                f'ignore_index={self.ignore_index}, '
                f'shape_key={self.shape_key!r})')
