import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import mmseg_uda  # noqa: F401


def _bilinear_ac(x, out_h, out_w):
    """Brute-force bilinear resize with align_corners=True, (C, H, W)."""
    c, h, w = x.shape
    out = np.zeros((c, out_h, out_w))
    for oy in range(out_h):
        sy = oy * (h - 1) / (out_h - 1) if out_h > 1 else 0.0
        y0 = int(np.floor(sy))
        y1, fy = min(y0 + 1, h - 1), sy - y0
        for ox in range(out_w):
            sx = ox * (w - 1) / (out_w - 1) if out_w > 1 else 0.0
            x0 = int(np.floor(sx))
            x1, fx = min(x0 + 1, w - 1), sx - x0
            out[:, oy, ox] = ((1 - fy) * (1 - fx) * x[:, y0, x0] +
                              (1 - fy) * fx * x[:, y0, x1] + fy *
                              (1 - fx) * x[:, y1, x0] + fy * fx * x[:, y1, x1])
    return out


def _score(conv, x):
    w = conv.weight.detach().double().numpy()[:, :, 0, 0]
    b = conv.bias.detach().double().numpy()
    return np.einsum('oc,chw->ohw', w, x) + b[:, None, None]


def _head(**kwargs):
    cfg = dict(type='FCN8sHead',
               in_channels=(4, 5, 6),
               in_index=(0, 1, 2),
               num_classes=3,
               align_corners=True)
    cfg.update(kwargs)
    head = MODELS.build(cfg)
    head.init_weights()
    return head


def test_zero_init_and_no_conv_seg():
    head = _head()
    assert not hasattr(head, 'conv_seg') and head.dropout is None
    feats = [
        torch.randn(1, 4, 8, 8),
        torch.randn(1, 5, 4, 4),
        torch.randn(1, 6, 2, 2)
    ]
    assert torch.all(head(feats) == 0)
    with pytest.raises(ValueError, match='three inputs'):
        _head(in_channels=(4, 5), in_index=(0, 1))


@pytest.mark.parametrize('scales,sizes', [((1.0, 1.0), (8, 4, 2)),
                                          ((0.01, 1e-4), (9, 5, 3))])
def test_fusion_matches_hand_computation(scales, sizes):
    torch.manual_seed(0)
    head = _head(pool4_scale=scales[0], pool3_scale=scales[1])
    for p in head.parameters():
        torch.nn.init.normal_(p)
    s3, s4, s7 = sizes
    p3 = torch.randn(1, 4, s3, s3 + 1)
    p4 = torch.randn(1, 5, s4, s4 + 1)
    f7 = torch.randn(1, 6, s7, s7 + 1)
    with torch.no_grad():
        out = head([p3, p4, f7])
    assert out.shape == (1, 3, s3, s3 + 1)
    np3, np4, nf7 = (t[0].double().numpy() for t in (p3, p4, f7))
    s = _score(head.score_fr, nf7)
    s = _bilinear_ac(s, s4, s4 + 1) + _score(head.score_pool4, scales[0] * np4)
    s = _bilinear_ac(s, s3, s3 + 1) + _score(head.score_pool3, scales[1] * np3)
    np.testing.assert_allclose(out[0].numpy(), s, rtol=1e-4, atol=1e-4)


def test_on_vgg_features_loss_and_gradients():
    backbone = MODELS.build(
        dict(type='VGG',
             out_indices=(2, 3, 5),
             with_fc=True,
             fc_channels=16,
             pool_ceil_mode=True))
    head = _head(in_channels=(256, 512, 16), num_classes=4)
    for p in head.parameters():  # leave the zero init: grads must flow
        torch.nn.init.normal_(p, std=0.01)
    img = torch.rand(2, 3, 45, 70)
    logits = head(backbone(img))
    assert logits.shape == (2, 4, 6, 9)  # ceil(45 / 8), ceil(70 / 8)
    samples = []
    for _ in range(2):
        s = SegDataSample()
        s.gt_sem_seg = PixelData(data=torch.randint(0, 4, (1, 45, 70)))
        samples.append(s)
    losses = head.loss_by_feat(logits, samples)
    assert torch.isfinite(losses['loss_ce']) and 'acc_seg' in losses
    losses['loss_ce'].backward()
    for name, p in head.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name
    assert backbone.features[0].weight.grad is not None
