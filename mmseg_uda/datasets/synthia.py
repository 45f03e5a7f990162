"""SYNTHIA-RAND-CITYSCAPES dataset (SPEC section 6)."""
import types
from typing import Mapping, Optional, Sequence

from mmengine.dataset import BaseDataset
from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from .label_mapping import (CITYSCAPES_CLASSES, CITYSCAPES_PALETTE,
                            SYNTHIA16_CLASSES, SYNTHIA16_PALETTE)
from .validation import ValidatedSegDataset

_METAINFO = {
    19: dict(classes=CITYSCAPES_CLASSES, palette=CITYSCAPES_PALETTE),
    16: dict(classes=SYNTHIA16_CLASSES, palette=SYNTHIA16_PALETTE),
}
_SEG_MAP_SUFFIX = {19: '_labelTrainIds.png', 16: '_labelTrainIds16.png'}


@DATASETS.register_module()
class SynthiaDataset(ValidatedSegDataset):
    """SYNTHIA in the layout written by
    ``tools/dataset_converters/synthia.py``.

    .. code-block:: none

        data_root/
          RGB/0000000.png ...
          GT/LABELS/0000000.png                 (raw 16-bit, multi-channel)
          GT/LABELS/0000000_labelTrainIds.png   (19 train ids + 255)
          GT/LABELS/0000000_labelTrainIds16.png (16 class ids + 255)

    Args:
        num_classes (int): 19 (Cityscapes train ids; terrain, truck and
            train never occur) or 16 (the 16-class protocol). Chooses the
            metainfo and the default label files.
        img_suffix (str): Image file ending. Defaults to ``'.png'``.
        seg_map_suffix (str, optional): Label file ending; None picks the
            converter's file for ``num_classes``.
        data_prefix (dict): Image / label folders relative to ``data_root``.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`.
    """
    METAINFO = _METAINFO[19]

    def __init__(self,
                 num_classes: int = 19,
                 img_suffix: str = '.png',
                 seg_map_suffix: Optional[str] = None,
                 data_prefix: dict = dict(img_path='RGB',
                                          seg_map_path='GT/LABELS'),
                 **kwargs) -> None:
        if num_classes not in _METAINFO:
            raise ValueError(f'SynthiaDataset: num_classes must be 19 or 16, '
                             f'got {num_classes!r}')
        # Read by the metainfo hooks below, which run inside super().__init__.
        self.num_classes = num_classes
        if seg_map_suffix is None:
            seg_map_suffix = _SEG_MAP_SUFFIX[num_classes]
        super().__init__(img_suffix=img_suffix,
                         seg_map_suffix=seg_map_suffix,
                         data_prefix=data_prefix,
                         **kwargs)

    def _base_metainfo_holder(self) -> types.SimpleNamespace:
        # MMEngine/MMSeg read the label space from ``cls.METAINFO`` in
        # classmethods; handing them a stand-in "class" with the metainfo
        # of ``num_classes`` reuses their logic (user metainfo overrides,
        # custom class subsets) for the 16-class space as well.
        return types.SimpleNamespace(METAINFO=_METAINFO[self.num_classes])

    def _load_metainfo(self, metainfo: Optional[Mapping] = None) -> dict:
        """Metainfo of ``num_classes`` updated by the user's ``metainfo``."""
        return BaseDataset._load_metainfo.__func__(
            self._base_metainfo_holder(), metainfo)

    def get_label_map(self, new_classes: Optional[Sequence] = None):
        """Label map from the ``num_classes`` space to ``new_classes``."""
        return BaseSegDataset.get_label_map.__func__(
            self._base_metainfo_holder(), new_classes)
