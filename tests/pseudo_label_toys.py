"""A tiny real segmentor and target dataset for the pseudo-label tests.

The model is MMSeg's ``EncoderDecoder`` with the project's DLV2ResNet and
DLV2Head at 4 base channels (random weights); the dataset is MMSeg's
``CityscapesDataset`` on the on-disk fixture of ``fake_datasets`` (images
only, as a target train set).
"""
import torch

import mmseg_uda  # noqa: F401,I001  (mmcv-lite shim before mmseg)
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS, MODELS

from fake_datasets import make_cityscapes

NUM_CLASSES = 5
TRAIN_SCALE = (16, 12)
SPREAD = 300.0


def segmentor_cfg(num_classes: int = NUM_CLASSES) -> dict:
    norm = dict(type='BN', requires_grad=True)
    return dict(type='EncoderDecoder',
                data_preprocessor=dict(type='SegDataPreProcessor',
                                       mean=[120.0] * 3,
                                       std=[60.0] * 3,
                                       size_divisor=1),
                backbone=dict(type='DLV2ResNet',
                              depth=18,
                              base_channels=4,
                              stem_channels=4,
                              out_indices=(3, ),
                              strides=(1, 2, 1, 1),
                              dilations=(1, 1, 2, 4),
                              norm_cfg=norm,
                              init_cfg=None),
                decode_head=dict(type='DLV2Head',
                                 in_channels=32,
                                 in_index=0,
                                 dilations=(1, 2),
                                 num_classes=num_classes,
                                 align_corners=True,
                                 loss_decode=dict(type='CrossEntropyLoss',
                                                  loss_weight=1.0)))


def build_segmentor(seed: int = 0):
    init_default_scope('mmseg')
    torch.manual_seed(seed)
    # PyTorch's default init (no init_weights: DLV2Head's N(0, 0.01) would
    # predict almost uniform softmaxes); a larger output scale spreads the
    # confidences over [0, 1] like a trained model's.
    model = MODELS.build(segmentor_cfg())
    with torch.no_grad():
        for conv in model.decode_head.aspp_convs:
            conv.weight.mul_(SPREAD)
            conv.bias.zero_()
    return model.eval()


def target_dataset_cfg(root: str, seg_map_path=None, suffix=None) -> dict:
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=TRAIN_SCALE, keep_ratio=False),
    ]
    prefix = dict(img_path='leftImg8bit/train')
    extra = {}
    if seg_map_path is not None:
        pipeline.append(dict(type='LoadAnnotations'))
        prefix['seg_map_path'] = seg_map_path
        extra['seg_map_suffix'] = suffix
    pipeline.append(dict(type='PackSegInputs'))
    return dict(type='CityscapesDataset',
                data_root=root,
                data_prefix=prefix,
                pipeline=pipeline,
                **extra)


def build_target_dataset(root: str, **kwargs):
    init_default_scope('mmseg')
    return DATASETS.build(target_dataset_cfg(root, **kwargs))


def make_target(root, n: int = 3) -> str:
    """Cityscapes fixture with ``n`` train images in two cities."""
    make_cityscapes(root, n=n - 1, city='aachen')
    make_cityscapes(root, n=1, city='bremen')
    return str(root)
