"""NYUv2-40 dataset (SPEC sections 4.2 and 6)."""
from mmseg.registry import DATASETS

from .label_mapping import NYUV2_40_CLASSES, NYUV2_40_PALETTE
from .validation import ValidatedSegDataset


@DATASETS.register_module()
class NYUv2Dataset(ValidatedSegDataset):
    """NYUv2 with 40 classes, as written by
    ``tools/dataset_converters/nyuv2.py``.

    .. code-block:: none

        data_root/
          images/{train,test}/0001.png ...       (RGB)
          annotations/{train,test}/0001.png ...  (uint8, 0..39, 255 = void)

    Args:
        img_suffix (str): Image file ending. Defaults to ``'.png'``.
        seg_map_suffix (str): Label file ending. Defaults to ``'.png'``.
        data_prefix (dict): Image / label folders relative to ``data_root``;
            defaults to the train split.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`.
    """
    METAINFO = dict(classes=NYUV2_40_CLASSES, palette=NYUV2_40_PALETTE)

    def __init__(self,
                 img_suffix: str = '.png',
                 seg_map_suffix: str = '.png',
                 data_prefix: dict = dict(img_path='images/train',
                                          seg_map_path='annotations/train'),
                 **kwargs) -> None:
        super().__init__(img_suffix=img_suffix,
                         seg_map_suffix=seg_map_suffix,
                         data_prefix=data_prefix,
                         **kwargs)
