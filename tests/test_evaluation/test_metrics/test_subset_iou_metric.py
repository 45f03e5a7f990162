import math

import numpy as np
import pytest
import torch
from mmseg.registry import METRICS

from mmseg_uda.evaluation import SYNTHIA_SUBSETS, SubsetIoUMetric

IGNORE = 255


def _sample(pred: np.ndarray, gt: np.ndarray) -> dict:
    """A data sample as the model's test_step returns it (as a dict)."""
    return dict(pred_sem_seg=dict(data=torch.from_numpy(pred)[None].long()),
                gt_sem_seg=dict(data=torch.from_numpy(gt)[None].long()),
                img_path='unused.png')


def _evaluate(metric, pairs, classes):
    metric.dataset_meta = dict(classes=classes)
    for pred, gt in pairs:
        metric.process({}, [_sample(pred, gt)])
    return metric.evaluate(len(pairs))


def _brute_force(pairs, num_classes):
    """Independent reference: one confusion matrix over all pixels."""
    conf = np.zeros((num_classes, num_classes), dtype=np.int64)
    for pred, gt in pairs:
        for p, g in zip(pred.ravel(), gt.ravel()):
            if g == IGNORE:
                continue
            conf[g, p] += 1  # rows: ground truth, columns: prediction
    tp = np.diag(conf).astype(np.float64)
    gt_area = conf.sum(axis=1)
    pred_area = conf.sum(axis=0)
    with np.errstate(invalid='ignore', divide='ignore'):
        iou = tp / (gt_area + pred_area - tp)
        acc = tp / gt_area
    return iou, acc, tp.sum() / conf.sum()


def test_registered_and_builds():
    metric = METRICS.build(
        dict(type='SubsetIoUMetric', subsets=SYNTHIA_SUBSETS))
    assert isinstance(metric, SubsetIoUMetric)
    assert list(metric.subsets) == ['mIoU16', 'mIoU13']


def test_hand_worked_2x3_example():
    # GT / prediction of one 2x3 image, 4 classes ('d' absent from both):
    #   GT   = [[0, 0, 1],      pred = [[0, 1, 1],
    #           [1, 255, 2]]            [1, 0, 0]]
    # Valid (gt, pred) pairs: (0,0) (0,1) (1,1) (1,1) (2,0); the ignore
    # pixel's prediction does not count.
    #   class 0: TP 1, |GT| 2, |pred| 2 -> IoU 1/3, Acc 1/2
    #   class 1: TP 2, |GT| 2, |pred| 3 -> IoU 2/3, Acc 1
    #   class 2: TP 0, |GT| 1, |pred| 0 -> IoU 0,   Acc 0
    #   class 3: 0 / 0 -> NaN, left out of every mean
    #   aAcc = 3 / 5; mIoU = (1/3 + 2/3 + 0) / 3 = 1/3
    gt = np.array([[0, 0, 1], [1, IGNORE, 2]])
    pred = np.array([[0, 1, 1], [1, 0, 0]])
    metric = SubsetIoUMetric(
        subsets=dict(s01=[0, 1], s12=[1, 2], s13=[1, 3], s3=[3]))
    res = _evaluate(metric, [(pred, gt)], ('a', 'b', 'c', 'd'))

    assert res['aAcc'] == pytest.approx(60.0)
    assert res['mIoU'] == pytest.approx(33.33)
    assert res['mAcc'] == pytest.approx(50.0)
    assert res['s01'] == pytest.approx(50.0)  # (1/3 + 2/3) / 2
    assert res['s12'] == pytest.approx(33.33)  # (2/3 + 0) / 2
    assert res['s13'] == pytest.approx(66.67)  # NaN of class 3 dropped
    assert math.isnan(res['s3'])  # only an absent class: NaN
    assert res['IoU.a'] == pytest.approx(33.33)
    assert res['IoU.b'] == pytest.approx(66.67)
    assert res['IoU.c'] == pytest.approx(0.0)
    assert math.isnan(res['IoU.d'])
    # plain floats rounded to 2 decimals (no float32 artefacts in the log)
    assert res['IoU.a'] == 33.33 and type(res['IoU.a']) is float
    assert res['mIoU'] == 33.33 and type(res['mIoU']) is float
    assert res['Acc.a'] == pytest.approx(50.0)
    assert res['Acc.b'] == pytest.approx(100.0)


def test_matches_brute_force_confusion_matrix():
    rng = np.random.default_rng(0)
    num_classes = 6  # class 5 never occurs in GT nor predictions
    classes = tuple(f'c{i}' for i in range(num_classes))
    pairs = []
    for h, w in [(7, 9), (5, 4), (8, 8)]:
        gt = rng.integers(0, 5, size=(h, w))
        gt[rng.random((h, w)) < 0.2] = IGNORE
        # correlated predictions so that IoUs are not all tiny
        pred = np.where(
            rng.random((h, w)) < 0.6, np.where(gt == IGNORE, 0, gt),
            rng.integers(0, 5, size=(h, w)))
        pairs.append((pred, gt))
    subsets = dict(sub_a=[0, 2, 5], sub_b=[1, 3, 4])
    metric = SubsetIoUMetric(subsets=subsets)
    res = _evaluate(metric, pairs, classes)

    iou, acc, aacc = _brute_force(pairs, num_classes)
    assert math.isnan(iou[5]) and not np.isnan(iou[:5]).any()
    assert res['aAcc'] == pytest.approx(aacc * 100, abs=0.006)
    assert res['mIoU'] == pytest.approx(np.nanmean(iou) * 100, abs=0.006)
    assert res['mAcc'] == pytest.approx(np.nanmean(acc) * 100, abs=0.006)
    for name, idx in subsets.items():
        assert res[name] == pytest.approx(np.nanmean(iou[idx]) * 100,
                                          abs=0.006)
    for c, cls_name in enumerate(classes[:5]):
        assert res[f'IoU.{cls_name}'] == pytest.approx(iou[c] * 100, abs=0.006)
    assert math.isnan(res['IoU.c5'])

    # Dataset-level accumulation, not a mean of per-image mIoUs.
    per_image = np.mean(
        [np.nanmean(_brute_force([p], num_classes)[0]) for p in pairs])
    assert abs(per_image - np.nanmean(iou)) > 1e-3


def test_synthia_subsets_of_19_classes():
    # One 2x19 image, column c holds class c; terrain (9), truck (14) and
    # train (16) are predicted as road (0), everything else is right:
    #   road: TP 2, |GT| 2, |pred| 2 + 3 * 2 = 8 -> IoU 1/4
    #   9, 14, 16: IoU 0; the 15 others: IoU 1
    #   mIoU19 = (1/4 + 15) / 19, mIoU16 = (1/4 + 15) / 16 (drops 9/14/16)
    #   mIoU13 = (1/4 + 12) / 13 (also drops wall 3, fence 4, pole 5)
    num_classes = 19
    gt = np.arange(num_classes)[None].repeat(2, axis=0)
    pred = gt.copy()
    pred[:, [9, 14, 16]] = 0
    metric = SubsetIoUMetric(subsets=SYNTHIA_SUBSETS, num_classes=19)
    res = _evaluate(metric, [(pred, gt)],
                    tuple(str(i) for i in range(num_classes)))
    assert res['mIoU'] == pytest.approx(100 * 15.25 / 19, abs=0.006)
    assert res['mIoU16'] == pytest.approx(100 * 15.25 / 16, abs=0.006)
    assert res['mIoU13'] == pytest.approx(100 * 12.25 / 13, abs=0.006)


def test_out_of_range_index_at_compute():
    metric = SubsetIoUMetric(subsets=dict(bad=[0, 4]))
    pred = gt = np.zeros((2, 2), dtype=np.int64)
    with pytest.raises(ValueError, match=r"'bad'.*\[4\].*\[0, 3\)"):
        _evaluate(metric, [(pred, gt)], ('a', 'b', 'c'))


@pytest.mark.parametrize('kwargs, pattern', [
    (dict(subsets=dict(s=[0, 19]), num_classes=19), r'\[19\]'),
    (dict(subsets=dict(s=[-1])), 'integers >= 0'),
    (dict(subsets=dict(s=[0.5])), 'integers >= 0'),
    (dict(subsets=dict(s=[])), 'non-empty'),
    (dict(subsets=dict(s=[1, 1])), 'twice'),
    (dict(subsets=dict(mIoU=[0])), 'clashes'),
    (dict(subsets=dict(s=[0]), iou_metrics=['mDice']), "'mIoU'"),
])
def test_bad_subsets_at_construction(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        SubsetIoUMetric(**kwargs)


def test_no_subsets_matches_iou_metric():
    # Default (no subsets) gives IoUMetric's summary keys and values.
    rng = np.random.default_rng(1)
    pairs = [(rng.integers(0, 3, (4, 5)), rng.integers(0, 3, (4, 5)))
             for _ in range(2)]
    ours = _evaluate(SubsetIoUMetric(), pairs, ('a', 'b', 'c'))
    theirs = _evaluate(METRICS.build(dict(type='IoUMetric')), pairs,
                       ('a', 'b', 'c'))
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(float(value))
    assert set(ours) == set(theirs) | {
        'IoU.a', 'IoU.b', 'IoU.c', 'Acc.a', 'Acc.b', 'Acc.c'
    }


def test_per_class_off_and_tables_logged():
    import logging

    from mmengine.logging import MMLogger

    records = []

    class _Keep(logging.Handler):

        def emit(self, record):
            records.append(record.getMessage())

    logger = MMLogger.get_current_instance()
    handler = _Keep()
    logger.addHandler(handler)
    try:
        metric = SubsetIoUMetric(per_class=False, subsets=dict(first=[0]))
        gt = np.array([[0, 1]])
        res = _evaluate(metric, [(gt, gt)], ('road', 'sky'))
    finally:
        logger.removeHandler(handler)
    assert set(res) == {'aAcc', 'mIoU', 'mAcc', 'first'}
    assert res['first'] == pytest.approx(100.0)
    text = '\n'.join(records)
    # per-class table with one row per class, and the summary table
    assert 'road' in text and 'sky' in text and 'IoU' in text
    assert 'first' in text


def test_output_dir_writes_predictions(tmp_path):
    import cv2
    metric = SubsetIoUMetric(output_dir=str(tmp_path / 'preds'))
    pred = np.array([[0, 2], [1, 1]])
    metric.dataset_meta = dict(classes=('a', 'b', 'c'))
    sample = _sample(pred, pred)
    sample['img_path'] = '/some/where/img_001.jpg'
    metric.process({}, [sample])
    out = cv2.imread(str(tmp_path / 'preds' / 'img_001.png'),
                     cv2.IMREAD_UNCHANGED)
    np.testing.assert_array_equal(out, pred)
