"""GTA5 dataset (SPEC section 6)."""
from mmseg.registry import DATASETS

from .label_mapping import CITYSCAPES_CLASSES, CITYSCAPES_PALETTE
from .validation import ValidatedSegDataset


@DATASETS.register_module()
class GTA5Dataset(ValidatedSegDataset):
    """GTA5 in the layout written by ``tools/dataset_converters/gta5.py``.

    .. code-block:: none

        data_root/
          images/00001.png ...
          labels/00001.png                  (Cityscapes label ids, raw)
          labels/00001_labelTrainIds.png    (19 train ids + 255, converted)

    Labels use the 19 Cityscapes train ids, so a model trained on GTA5 is
    evaluated on Cityscapes without remapping.

    Args:
        img_suffix (str): Image file ending. Defaults to ``'.png'``.
        seg_map_suffix (str): Label file ending. Defaults to
            ``'_labelTrainIds.png'``.
        data_prefix (dict): Image / label folders relative to ``data_root``.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`.
    """
    METAINFO = dict(classes=CITYSCAPES_CLASSES, palette=CITYSCAPES_PALETTE)

    def __init__(self,
                 img_suffix: str = '.png',
                 seg_map_suffix: str = '_labelTrainIds.png',
                 data_prefix: dict = dict(img_path='images',
                                          seg_map_path='labels'),
                 **kwargs) -> None:
        super().__init__(img_suffix=img_suffix,
                         seg_map_suffix=seg_map_suffix,
                         data_prefix=data_prefix,
                         **kwargs)
