import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import mmseg_uda  # noqa: F401


@pytest.fixture(autouse=True)
def mmseg_scope():
    init_default_scope('mmseg')


def _head(**kwargs):
    cfg = dict(type='DAFormerHead',
               in_channels=[4, 8, 12, 16],
               in_index=[0, 1, 2, 3],
               channels=6,
               embed_dims=5,
               dilations=(1, 2, 3),
               num_classes=3,
               norm_cfg=dict(type='BN', requires_grad=True),
               align_corners=False)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def _feats(n=2):
    return [
        torch.randn(n, c, 16 // s, 16 // s)
        for c, s in ((4, 1), (8, 2), (12, 4), (16, 8))
    ]


def test_structure_and_shapes():
    head = _head()
    # one linear embedding per level, one separable branch per dilation
    assert [e.in_channels for e in head.embeddings] == [4, 8, 12, 16]
    assert all(e.out_channels == 5 and e.kernel_size == (1, 1)
               for e in head.embeddings)
    assert [b.depthwise_conv.conv.dilation[0]
            for b in head.branches] == [1, 2, 3]
    assert all(b.depthwise_conv.conv.groups == 20 for b in head.branches)
    assert head.fusion.conv.in_channels == 18
    logits = head(_feats())
    assert logits.shape == (2, 3, 16, 16)


def test_every_parameter_gets_a_gradient():
    # DDP without find_unused_parameters needs this
    head = _head()
    sample = SegDataSample(metainfo=dict(img_shape=(16, 16)))
    sample.gt_sem_seg = PixelData(data=torch.randint(0, 3, (1, 64, 64)))
    losses = head.loss(_feats(2), [sample, sample], dict())
    losses['loss_ce'].backward()
    missing = [n for n, p in head.named_parameters() if p.grad is None]
    assert missing == []
