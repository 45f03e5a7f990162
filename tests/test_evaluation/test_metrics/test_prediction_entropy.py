"""Prediction entropy (label-free selection) against values by hand."""
import math

import pytest
import torch
from mmseg.registry import METRICS

import mmseg_uda  # noqa: F401
from mmseg_uda.evaluation import normalised_entropy


def _sample(logits: torch.Tensor, gt=None) -> dict:
    pred = logits.argmax(0)[None]
    gt = pred if gt is None else gt
    return dict(seg_logits=dict(data=logits),
                pred_sem_seg=dict(data=pred.long()),
                gt_sem_seg=dict(data=gt.long()),
                img_path='unused.png')


def test_normalised_entropy_by_hand():
    # pixel 0: uniform over 2 classes (H = log 2 -> 1), pixel 1: softmax of
    # (log 3, 0) = (3/4, 1/4)
    logits = torch.tensor([[[0.0, math.log(3.0)]], [[0.0, 0.0]]])
    ent = normalised_entropy(logits)
    h = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(2)
    assert ent.shape == (1, 2)
    assert ent[0, 0].item() == pytest.approx(1.0)
    assert ent[0, 1].item() == pytest.approx(h)
    with pytest.raises(ValueError, match='C, H, W'):
        normalised_entropy(torch.zeros(1, 2, 2))


def test_metric_is_the_mean_over_images_of_the_pixel_mean():
    metric = METRICS.build(dict(type='PredictionEntropyMetric'))
    metric.dataset_meta = dict(classes=['a', 'b'])
    a = torch.tensor([[[0.0, math.log(3.0)]], [[0.0, 0.0]]])  # 1, h
    b = torch.tensor([[[50.0, 50.0]], [[0.0, 0.0]]])  # ~0, ~0
    metric.process({}, [_sample(a)])
    metric.process({}, [_sample(b)])
    h = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(2)
    value = metric.evaluate(2)['pred_entropy']
    assert value == pytest.approx(round(((1 + h) / 2 + 0) / 2, 4))


def test_subset_iou_metric_reports_it_beside_miou():
    metric = METRICS.build(dict(type='SubsetIoUMetric',
                                iou_metrics=['mIoU']))
    metric.dataset_meta = dict(classes=['a', 'b'])
    a = torch.tensor([[[0.0, math.log(3.0)]], [[0.0, 0.0]]])
    metric.process({}, [_sample(a)])
    out = metric.evaluate(1)
    assert out['mIoU'] == 100.0
    h = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(2)
    assert out['pred_entropy'] == pytest.approx(round((1 + h) / 2, 4))

    off = METRICS.build(dict(type='SubsetIoUMetric', iou_metrics=['mIoU'],
                             prediction_entropy=False))
    off.dataset_meta = dict(classes=['a', 'b'])
    off.process({}, [_sample(a)])
    assert 'pred_entropy' not in off.evaluate(1)


def test_samples_without_logits_give_no_entropy():
    metric = METRICS.build(dict(type='SubsetIoUMetric',
                                iou_metrics=['mIoU']))
    metric.dataset_meta = dict(classes=['a', 'b'])
    sample = _sample(torch.zeros(2, 1, 2))
    del sample['seg_logits']
    metric.process({}, [sample])
    assert 'pred_entropy' not in metric.evaluate(1)
