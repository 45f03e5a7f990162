import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import mmseg_uda  # noqa: F401


def _naive_dilated_conv(x, w, b, d):
    """Brute-force 3x3 conv, dilation = padding = d, numpy (C, H, W)."""
    c_in, h, wd = x.shape
    xp = np.zeros((c_in, h + 2 * d, wd + 2 * d))
    xp[:, d:d + h, d:d + wd] = x
    out = np.zeros((w.shape[0], h, wd)) + b[:, None, None]
    for i in range(3):
        for j in range(3):
            patch = xp[:, i * d:i * d + h, j * d:j * d + wd]
            out += np.einsum('oc,chw->ohw', w[:, :, i, j], patch)
    return out


def _head(**kwargs):
    cfg = dict(type='DLV2Head', in_channels=3, in_index=1, num_classes=4)
    cfg.update(kwargs)
    head = MODELS.build(cfg)
    head.init_weights()
    return head


@pytest.mark.parametrize('dilations', [(6, 12, 18, 24), (6, 12), (1, 2, 3)])
def test_output_is_sum_of_branches(dilations):
    torch.manual_seed(0)
    head = _head(dilations=dilations)
    # larger biases than the zero init so the bias path is checked too
    for conv in head.aspp_convs:
        torch.nn.init.normal_(conv.bias)
    feat = torch.randn(2, 3, 20, 27)
    with torch.no_grad():
        out = head([torch.zeros(1), feat])
    assert out.shape == (2, 4, 20, 27)
    for n in range(2):
        expected = sum(
            _naive_dilated_conv(feat[n].double().numpy(),
                                conv.weight.detach().double().numpy(),
                                conv.bias.detach().double().numpy(), d)
            for conv, d in zip(head.aspp_convs, dilations))
        np.testing.assert_allclose(out[n].double().numpy(),
                                   expected,
                                   rtol=1e-4,
                                   atol=1e-5)


def test_no_conv_seg_no_dropout_and_init():
    head = _head(in_channels=64)
    assert not hasattr(head, 'conv_seg') and head.dropout is None
    assert len(head.aspp_convs) == 4
    w = torch.cat([c.weight.flatten() for c in head.aspp_convs])
    # N(0, 0.01) over 4 * 4 * 64 * 9 samples
    assert abs(w.std().item() - 0.01) < 0.001
    assert abs(w.mean().item()) < 0.001
    assert all(torch.all(c.bias == 0) for c in head.aspp_convs)
    with pytest.raises(ValueError, match='dropout'):
        _head(dropout_ratio=0.1)
    with pytest.raises(ValueError, match='single feature'):
        _head(input_transform='resize_concat',
              in_index=[0, 1],
              in_channels=[3, 3])


def _samples(labels):
    samples = []
    for lab in labels:
        s = SegDataSample()
        s.gt_sem_seg = PixelData(data=lab[None])
        samples.append(s)
    return samples


def test_loss_by_feat_matches_hand_computed_ce():
    torch.manual_seed(1)
    head = _head(align_corners=True)
    feat = torch.randn(2, 3, 5, 6)
    labels = torch.randint(0, 4, (2, 17, 21))
    labels[0, :3] = 255
    logits = head([None, feat])
    losses = head.loss_by_feat(logits, _samples(labels))
    assert set(losses) == {'loss_ce', 'acc_seg'}
    up = F.interpolate(logits,
                       size=(17, 21),
                       mode='bilinear',
                       align_corners=True)
    # mmseg's CrossEntropyLoss (avg_non_ignore=False) divides the summed
    # loss over valid pixels by ALL pixels
    nll = -torch.log_softmax(up, 1)
    valid = labels != 255
    picked = nll.gather(1, labels.clamp(max=3)[:, None])[:, 0]
    expected = (picked * valid).sum() / labels.numel()
    torch.testing.assert_close(losses['loss_ce'], expected)
    losses['loss_ce'].backward()
    # every parameter receives a gradient: nothing unused for DDP
    for name, p in head.named_parameters():
        assert p.grad is not None, name


def test_auxiliary_head_on_res4():
    main = _head(in_channels=16, in_index=3)
    aux = _head(in_channels=8,
                in_index=2,
                loss_decode=dict(type='CrossEntropyLoss', loss_weight=0.1))
    unweighted = _head(in_channels=8, in_index=2)
    unweighted.load_state_dict(aux.state_dict())
    feats = [None, None, torch.randn(1, 8, 9, 9), torch.randn(1, 16, 9, 9)]
    assert main(feats).shape == aux(feats).shape == (1, 4, 9, 9)
    # each head reads its own level
    torch.testing.assert_close(aux(feats), unweighted(feats))
    labels = _samples(torch.randint(0, 4, (1, 9, 9)))
    l_aux = aux.loss_by_feat(aux(feats), labels)['loss_ce']
    l_one = unweighted.loss_by_feat(unweighted(feats), labels)['loss_ce']
    torch.testing.assert_close(l_aux, 0.1 * l_one)
