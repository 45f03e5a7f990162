from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import mmseg_uda  # noqa: F401

CFG_DIR = Path(__file__).parents[3] / 'configs' / '_base_' / 'models'


def _load(name):
    # Runner sets this from ``default_scope = 'mmseg'``; tests build directly.
    init_default_scope('mmseg')
    cfg = Config.fromfile(str(CFG_DIR / name))
    # Bases stack; only default_runtime.py defines custom_imports.
    assert 'custom_imports' not in cfg
    assert cfg.model.type == 'EncoderDecoder'
    assert cfg.model.data_preprocessor.type == 'SegDataPreProcessor'
    assert cfg.model.test_cfg == dict(mode='whole')
    # a training config chooses size or size_divisor (see the bases)
    cfg.model.data_preprocessor.size_divisor = 1
    return cfg


def _run_loss_and_predict(model, num_classes, size=32, batch=1, predict=True):
    """uint8 images through the data preprocessor, then loss + predict."""
    samples = []
    for _ in range(batch):
        s = SegDataSample(
            metainfo=dict(img_shape=(size, size), ori_shape=(size, size)))
        s.gt_sem_seg = PixelData(
            data=torch.randint(0, num_classes, (1, size, size)))
        samples.append(s)
    data = dict(inputs=[
        torch.randint(0, 256, (3, size, size), dtype=torch.uint8)
        for _ in range(batch)
    ],
                data_samples=samples)
    model.train()
    data = model.data_preprocessor(data, training=True)
    losses = model(**data, mode='loss')
    total = sum(v for k, v in losses.items() if 'loss' in k)
    assert torch.isfinite(total)
    total.backward()
    if not predict:
        return losses
    model.eval()
    with torch.no_grad():
        preds = model(**data, mode='predict')
    assert preds[0].pred_sem_seg.data.shape == (1, size, size)
    assert preds[0].seg_logits.data.shape == (num_classes, size, size)
    return losses


@pytest.mark.parametrize('name,backbone,rgb', [
    ('deeplabv2_r101-caffe.py', 'DLV2ResNet', False),
    ('deeplabv2_r101-v1c.py', 'ResNetV1c', True),
])
def test_deeplabv2_configs(name, backbone, rgb):
    cfg = _load(name)
    m = cfg.model
    assert m.backbone.type == backbone and m.backbone.depth == 101
    assert m.backbone.dilations == (1, 1, 2, 4)
    assert m.backbone.strides == (1, 2, 1, 1)
    assert m.backbone.contract_dilation is rgb  # True only for V1c
    assert m.backbone.norm_cfg.requires_grad is False
    assert m.data_preprocessor.bgr_to_rgb is rgb
    if not rgb:
        # the papers' DeepLab init where present, else the zoo's caffe R101
        assert m.backbone.init_cfg.type == 'PretrainedWithFallback'
        assert m.backbone.init_cfg.checkpoint == cfg.deeplab_init_coco
        assert m.backbone.init_cfg.fallback == \
            'open-mmlab://detectron2/resnet101_caffe'
        # the Caffe weights expect BGR, mean-subtracted, std 1
        assert m.data_preprocessor.mean == [103.53, 116.28, 123.675]
        assert m.data_preprocessor.std == [1.0, 1.0, 1.0]
    else:
        assert m.backbone.init_cfg.type == 'Pretrained'
        assert m.data_preprocessor.mean == [123.675, 116.28, 103.53]
    for head, idx, ch, weight in ((m.decode_head, 3, 2048, 1.0),
                                  (m.auxiliary_head, 2, 1024, 0.1)):
        assert head.type == 'DLV2Head' and head.align_corners is True
        assert (head.in_index, head.in_channels) == (idx, ch)
        assert head.dilations == (6, 12, 18, 24)
        assert head.num_classes == 19
        assert head.loss_decode.loss_weight == weight

    m.backbone.init_cfg = None  # nothing may download
    model = MODELS.build(m)
    # ResNet-101 is slow on CPU: predict once (the caffe variant) only
    losses = _run_loss_and_predict(model, 19, predict=not rgb)
    assert {'decode.loss_ce', 'aux.loss_ce'} <= set(losses)


def test_fcn8s_vgg16_config():
    cfg = _load('fcn8s_vgg16.py')
    m = cfg.model
    assert m.backbone.type == 'VGG' and m.backbone.depth == 16
    assert m.backbone.with_fc and m.backbone.out_indices == (2, 3, 5)
    assert (m.backbone.fc_channels, m.backbone.fc6_kernel_size) == (4096, 7)
    assert m.backbone.init_cfg.checkpoint == 'open-mmlab://vgg16_caffe'
    # fed like MMDetection's SSD feeds this checkpoint: RGB, std 1
    assert m.data_preprocessor.bgr_to_rgb is True
    assert m.data_preprocessor.std == [1.0, 1.0, 1.0]
    assert m.decode_head.type == 'FCN8sHead'
    assert m.decode_head.in_channels == (256, 512, 4096)

    m.backbone.init_cfg = None
    # full-width fc6 is 100M parameters: shrink it for a CPU test
    m.backbone.fc_channels = 32
    m.decode_head.in_channels = (256, 512, 32)
    model = MODELS.build(m)
    model.init_weights()
    losses = _run_loss_and_predict(model, 19)
    assert 'decode.loss_ce' in losses
