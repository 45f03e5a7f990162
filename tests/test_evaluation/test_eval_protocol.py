"""SPEC 3 evaluation protocol: predictions come back at the label size.

The test pipeline resizes the image BEFORE loading the annotation, so the
ground truth stays at its original resolution; MMSeg's EncoderDecoder then
upsamples the logits to ``ori_shape`` with the head's ``align_corners``
(True in our configs), as the UDA reference evaluation does.
"""
import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import mmseg_uda  # noqa: F401  (installs the mmcv-lite shim first)
from mmengine.config import ConfigDict
from mmengine.dataset import Compose
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import register_all_modules

ORI_H, ORI_W = 20, 30  # label / original image resolution
IN_H, IN_W = 12, 16  # network input after Resize


def _tiny_model():
    torch.manual_seed(0)
    cfg = dict(type='EncoderDecoder',
               data_preprocessor=dict(type='SegDataPreProcessor',
                                      mean=[100., 110., 120.],
                                      std=[50., 50., 50.],
                                      bgr_to_rgb=False),
               backbone=dict(type='ResNet',
                             depth=18,
                             num_stages=2,
                             stem_channels=8,
                             base_channels=8,
                             strides=(1, 2),
                             dilations=(1, 1),
                             out_indices=(1, ),
                             norm_cfg=dict(type='BN', requires_grad=True)),
               decode_head=dict(type='FCNHead',
                                in_channels=16,
                                channels=8,
                                num_convs=1,
                                concat_input=False,
                                num_classes=3,
                                align_corners=True),
               test_cfg=ConfigDict(mode='whole'))
    model = MODELS.build(cfg)
    model.eval()
    return model


@pytest.fixture(scope='module', autouse=True)
def _scope():
    register_all_modules(init_default_scope=True)


def test_pipeline_keeps_label_resolution(tmp_path):
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (ORI_H, ORI_W, 3), dtype=np.uint8)
    label = rng.integers(0, 3, (ORI_H, ORI_W), dtype=np.uint8)
    cv2.imwrite(str(tmp_path / 'a.png'), img)
    cv2.imwrite(str(tmp_path / 'a_label.png'), label)
    pipeline = Compose([
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=(IN_W, IN_H), keep_ratio=False),
        dict(type='LoadAnnotations'),
        dict(type='PackSegInputs'),
    ])
    data = pipeline(
        dict(img_path=str(tmp_path / 'a.png'),
             seg_map_path=str(tmp_path / 'a_label.png'),
             reduce_zero_label=False,
             seg_fields=[]))
    sample = data['data_samples']
    assert tuple(data['inputs'].shape) == (3, IN_H, IN_W)
    assert tuple(sample.gt_sem_seg.shape) == (ORI_H, ORI_W)
    assert tuple(sample.ori_shape) == (ORI_H, ORI_W)
    assert tuple(sample.img_shape) == (IN_H, IN_W)

    # The full test path (preprocess + predict) returns label-size maps.
    model = _tiny_model()
    with torch.no_grad():
        out = model.test_step(
            dict(inputs=[data['inputs']], data_samples=[sample]))
    assert tuple(out[0].pred_sem_seg.shape) == (ORI_H, ORI_W)
    assert tuple(out[0].seg_logits.shape) == (ORI_H, ORI_W)


def test_predict_upsamples_to_ori_shape_with_align_corners():
    model = _tiny_model()
    assert model.align_corners is True
    sample = SegDataSample(metainfo=dict(ori_shape=(ORI_H, ORI_W),
                                         img_shape=(IN_H, IN_W),
                                         pad_shape=(IN_H, IN_W),
                                         padding_size=[0, 0, 0, 0]))
    sample.gt_sem_seg = PixelData(
        data=torch.zeros(1, ORI_H, ORI_W, dtype=torch.long))
    inputs = torch.randn(1, 3, IN_H, IN_W)
    with torch.no_grad():
        result = model.predict(inputs, [sample])[0]
        # Independent reference: logits at the input size, upsampled
        # bilinearly with align_corners=True to the label size.
        logits = model.encode_decode(inputs, [sample.metainfo])
        ref = F.interpolate(logits,
                            size=(ORI_H, ORI_W),
                            mode='bilinear',
                            align_corners=True)
        other = F.interpolate(logits,
                              size=(ORI_H, ORI_W),
                              mode='bilinear',
                              align_corners=False)

    assert tuple(logits.shape[-2:]) == (IN_H, IN_W)
    assert tuple(result.pred_sem_seg.shape) == (ORI_H, ORI_W)
    torch.testing.assert_close(result.seg_logits.data, ref[0])
    # align_corners matters here, so the check above is not vacuous
    assert not torch.allclose(ref, other, atol=1e-4)
    torch.testing.assert_close(result.pred_sem_seg.data[0],
                               ref[0].argmax(dim=0))
