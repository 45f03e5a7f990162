"""Pseudo-label generation: thresholds, files, rerun, distributed."""
import datetime
import glob
import json
import os
import os.path as osp
import socket

import cv2
import numpy as np
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.dataset import pseudo_collate

from pseudo_label_toys import (NUM_CLASSES, build_segmentor,
                               build_target_dataset, make_target)
from mmseg_uda.apis import pseudo_labels as pl
from mmseg_uda.apis.pseudo_labels import (PseudoLabelGenerator,
                                          apply_thresholds,
                                          confidence_histogram,
                                          median_thresholds,
                                          predict_confidence)
from mmseg_uda.datasets import file_io

BINS = 10000
SUFFIX = '_pseudoTrainIds.png'


# ----------------------------------------------------------------------
# Thresholds on random data against numpy.
def test_histogram_median_matches_numpy_median():
    rng = np.random.default_rng(0)
    num_classes = 6
    hist = torch.zeros(num_classes, BINS, dtype=torch.long)
    all_labels, all_conf = [], []
    for _ in range(4):  # streamed "images"
        # class 5 is never predicted
        labels = rng.integers(0, 5, (60, 70))
        conf = rng.beta(2.0, 2.0 + labels, labels.shape)
        conf[labels == 0] = rng.uniform(0.92, 1.0, (labels == 0).sum())
        conf[0, :3] = (0.0, 1.0, 0.5)  # bin edges
        hist += confidence_histogram(torch.from_numpy(labels),
                                     torch.from_numpy(conf), num_classes,
                                     BINS)
        all_labels.append(labels.ravel())
        all_conf.append(conf.ravel())
    labels, conf = np.concatenate(all_labels), np.concatenate(all_conf)
    assert int(hist.sum()) == labels.size

    thr = median_thresholds(hist, cap=0.9).numpy()
    uncapped = median_thresholds(hist, cap=1.0).numpy()
    for c in range(1, 5):
        values = np.sort(conf[labels == c])
        # the left edge of the bin of the middle element: at most one bin
        # below it, never above
        middle = values[len(values) // 2]
        assert middle - 1.0 / BINS < thr[c] <= middle
        assert abs(thr[c] - np.median(values)) < 2.0 / BINS
        assert thr[c] == uncapped[c]
    # class 0's median is above the cap; class 5 never predicted
    assert np.median(conf[labels == 0]) > 0.9
    assert thr[0] == pytest.approx(0.9) and uncapped[0] > 0.9
    assert thr[5] == 0.0


def test_apply_thresholds_ignores_pixels_below_their_class_threshold():
    labels = torch.tensor([[0, 1, 1], [2, 0, 1]])
    conf = torch.tensor([[0.5, 0.2, 0.7], [0.1, 0.3, 0.4]])
    thr = torch.tensor([0.4, 0.4, 0.0], dtype=torch.float64)
    out = apply_thresholds(labels, conf, thr)
    assert out.tolist() == [[0, 255, 1], [2, 255, 1]]


# ----------------------------------------------------------------------
# The generator on a real (tiny) model and dataset.
@pytest.fixture
def target(tmp_path):
    return make_target(tmp_path / 'city')


def _brute_force(model, dataset, label_scale=None):
    """Predictions of every image and numpy medians over all pixels."""
    preds = {}
    for i in range(len(dataset)):
        batch = pseudo_collate([dataset[i]])
        sample = batch['data_samples'][0]
        size = (label_scale[1], label_scale[0]) if label_scale else \
            sample.metainfo['ori_shape']
        labels, conf = predict_confidence(model, batch, [size])[0]
        preds[sample.metainfo['img_path']] = (labels.numpy(), conf.numpy())
    labels = np.concatenate([v[0].ravel() for v in preds.values()])
    conf = np.concatenate([v[1].ravel() for v in preds.values()])
    # (lower, upper) middle element per class; np.median lies between
    medians = []
    for c in range(NUM_CLASSES):
        values = np.sort(conf[labels == c])
        n = len(values)
        medians.append((values[(n - 1) // 2], values[n // 2]) if n else
                       (0.0, 0.0))
        if n:
            assert medians[-1][0] <= np.median(values) <= medians[-1][1]
    return preds, medians, np.bincount(labels, minlength=NUM_CLASSES)


def test_generator_writes_thresholded_labels_in_the_dataset_layout(
        target, tmp_path):
    model = build_segmentor()
    dataset = build_target_dataset(target)
    out = str(tmp_path / 'pl')
    scale = (40, 30)
    summary = PseudoLabelGenerator(out, label_scale=scale).run(
        model, dataset, model_info=dict(checkpoint='x.pth'))

    preds, medians, predicted = _brute_force(model, dataset, scale)
    assert summary['status'] == 'complete'
    assert summary['num_images'] == 3
    assert summary['model']['checkpoint'] == 'x.pth'
    assert summary['predicted_pixels'] == predicted.tolist()
    assert len(set(np.concatenate([p[0].ravel() for p in preds.values()
                                   ]))) >= 3  # a non-trivial prediction
    for c, (low, high) in enumerate(medians):
        # the median to within one bin width (capped at 0.9)
        thr = summary['thresholds'][c]
        assert min(low, 0.9) - 1.0 / BINS < thr <= min(high, 0.9), c
    with open(osp.join(out, 'pseudo_labels.json')) as f:
        assert json.load(f) == summary

    files = sorted(glob.glob(osp.join(out, '*', '*.png')))
    assert [osp.relpath(f, out) for f in files] == [
        osp.join('aachen', 'aachen_000000_000019' + SUFFIX),
        osp.join('aachen', 'aachen_000001_000019' + SUFFIX),
        osp.join('bremen', 'bremen_000000_000019' + SUFFIX),
    ]
    thr = torch.tensor(summary['thresholds'], dtype=torch.float64)
    counts = np.zeros(256, np.int64)
    for img_path, (labels, conf) in preds.items():
        name = osp.basename(img_path).replace('_leftImg8bit.png', SUFFIX)
        city = osp.basename(osp.dirname(img_path))
        written = cv2.imread(osp.join(out, city, name), cv2.IMREAD_UNCHANGED)
        assert written.dtype == np.uint8 and written.shape == (30, 40)
        expected = apply_thresholds(torch.from_numpy(labels),
                                    torch.from_numpy(conf), thr).numpy()
        np.testing.assert_array_equal(written, expected)
        counts += np.bincount(written.ravel(), minlength=256)
    assert summary['labelled_pixels'] == counts[:NUM_CLASSES].tolist()
    assert summary['ignored_pixels'] == counts[255] > 0

    # The target dataset reads them by pointing seg_map_path at the folder.
    labelled = build_target_dataset(target, seg_map_path=out, suffix=SUFFIX)
    sample = labelled[2]['data_samples']
    np.testing.assert_array_equal(
        sample.gt_sem_seg.data[0].numpy(),
        cv2.imread(files[2], cv2.IMREAD_UNCHANGED))


def test_default_label_size_is_the_original_image_size(target, tmp_path):
    model = build_segmentor()
    out = str(tmp_path / 'pl')
    PseudoLabelGenerator(out).run(model, build_target_dataset(target))
    label = cv2.imread(
        osp.join(out, 'aachen', 'aachen_000000_000019' + SUFFIX),
        cv2.IMREAD_UNCHANGED)
    img = cv2.imread(
        osp.join(target, 'leftImg8bit', 'train', 'aachen',
                 'aachen_000000_000019_leftImg8bit.png'))
    assert label.shape == img.shape[:2]


def _listing(folder):
    return sorted(
        osp.relpath(osp.join(d, f), folder) for d, _, fs in os.walk(folder)
        for f in fs)


def test_interrupted_write_leaves_no_partial_file_and_rerun_completes(
        target, tmp_path, monkeypatch):
    model = build_segmentor()
    dataset = build_target_dataset(target)
    reference = str(tmp_path / 'ref')
    PseudoLabelGenerator(reference).run(model, dataset)

    out = str(tmp_path / 'pl')
    real_encode = pl.label_files.encode_png
    calls = []

    def failing_encode(label, path):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt('killed while writing')
        return real_encode(label, path)

    monkeypatch.setattr(pl.label_files, 'encode_png', failing_encode)
    with pytest.raises(KeyboardInterrupt):
        PseudoLabelGenerator(out).run(model, dataset)
    # pass 1 finished (thresholds stored), one label written, nothing else
    first = osp.join('aachen', 'aachen_000000_000019' + SUFFIX)
    assert _listing(out) == [first, 'pseudo_labels.json']
    with open(osp.join(out, 'pseudo_labels.json')) as f:
        assert json.load(f)['status'] == 'thresholds'
    mtime = os.stat(osp.join(out, first)).st_mtime_ns

    calls.clear()
    monkeypatch.setattr(pl.label_files, 'encode_png',
                        lambda label, path: calls.append(path) or
                        real_encode(label, path))
    summary = PseudoLabelGenerator(out).run(model, dataset)
    assert summary['status'] == 'complete'
    assert [osp.relpath(p, out) for p in calls] == [
        osp.join('aachen', 'aachen_000001_000019' + SUFFIX),
        osp.join('bremen', 'bremen_000000_000019' + SUFFIX),
    ]
    assert os.stat(osp.join(out, first)).st_mtime_ns == mtime
    assert _listing(out) == _listing(reference)
    for name in _listing(reference):
        if name.endswith('.png'):
            np.testing.assert_array_equal(
                cv2.imread(osp.join(out, name), cv2.IMREAD_UNCHANGED),
                cv2.imread(osp.join(reference, name), cv2.IMREAD_UNCHANGED))
    with open(osp.join(reference, 'pseudo_labels.json')) as f:
        ref = json.load(f)
    for key in ('thresholds', 'labelled_pixels', 'predicted_pixels'):
        assert summary[key] == ref[key]

    # A complete folder: nothing is predicted or written again.
    calls.clear()
    monkeypatch.setattr(
        pl, 'predict_confidence',
        lambda *a, **k: pytest.fail('predicted although complete'))
    again = PseudoLabelGenerator(out).run(model, dataset)
    assert calls == [] and again == summary


def test_kill_during_the_file_write_leaves_no_temporary(
        target, tmp_path, monkeypatch):
    model = build_segmentor()
    out = str(tmp_path / 'pl')

    real_replace = os.replace

    def killed_replace(src, dst):
        if dst.endswith('.png'):
            raise KeyboardInterrupt('killed before the rename')
        return real_replace(src, dst)

    monkeypatch.setattr(file_io.os, 'replace', killed_replace)
    with pytest.raises(KeyboardInterrupt):
        PseudoLabelGenerator(out).run(model, build_target_dataset(target))
    # the thresholds were stored; no PNG and no temporary file remain
    assert _listing(out) == ['pseudo_labels.json']


def test_labels_of_another_model_are_regenerated(target, tmp_path,
                                                 monkeypatch):
    dataset = build_target_dataset(target)
    out = str(tmp_path / 'pl')
    first = PseudoLabelGenerator(out).run(build_segmentor(seed=0), dataset)
    calls = []
    real_encode = pl.label_files.encode_png
    monkeypatch.setattr(pl.label_files, 'encode_png',
                        lambda label, path: calls.append(path) or
                        real_encode(label, path))
    second = PseudoLabelGenerator(out).run(build_segmentor(seed=1), dataset)
    assert len(calls) == 3
    assert second['model']['fingerprint'] != first['model']['fingerprint']
    # other settings regenerate as well
    calls.clear()
    PseudoLabelGenerator(out, cap=0.5).run(build_segmentor(seed=1), dataset)
    assert len(calls) == 3


def test_bad_inputs_name_the_file(target, tmp_path):
    model = build_segmentor()
    not_a_dir = tmp_path / 'file'
    not_a_dir.write_text('x')
    with pytest.raises(NotADirectoryError, match=str(not_a_dir)):
        PseudoLabelGenerator(str(not_a_dir))
    broken = osp.join(target, 'leftImg8bit', 'train', 'aachen',
                      'aachen_000001_000019_leftImg8bit.png')
    with open(broken, 'wb') as f:
        f.write(b'not a png')
    with pytest.raises(RuntimeError, match='aachen_000001_000019'):
        PseudoLabelGenerator(str(tmp_path / 'pl')).run(
            model, build_target_dataset(target))
    out = tmp_path / 'pl2'
    out.mkdir()
    (out / 'pseudo_labels.json').write_text('{broken')
    with pytest.raises(ValueError, match='pseudo_labels.json'):
        PseudoLabelGenerator(str(out)).run(model,
                                           build_target_dataset(target))


# ----------------------------------------------------------------------
# Two processes (gloo) give the labels of one process.
def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _worker(rank, port, target, weights, out):
    dist.init_process_group('gloo',
                            init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank,
                            world_size=2,
                            timeout=datetime.timedelta(seconds=60))
    try:
        torch.set_num_threads(1)
        model = build_segmentor()
        model.load_state_dict(torch.load(weights))
        summary = PseudoLabelGenerator(out, label_scale=(20, 15)).run(
            model, build_target_dataset(target))
        with open(osp.join(out, f'rank{rank}.json'), 'w') as f:
            json.dump(summary, f)
    finally:
        dist.destroy_process_group()


@pytest.mark.skipif(not dist.is_available(),
                    reason='torch.distributed not available')
def test_two_gloo_ranks_equal_one_process(target, tmp_path):
    model = build_segmentor()
    weights = str(tmp_path / 'weights.pth')
    torch.save(model.state_dict(), weights)
    single = str(tmp_path / 'single')
    expected = PseudoLabelGenerator(single, label_scale=(20, 15)).run(
        model, build_target_dataset(target))

    out = str(tmp_path / 'ddp')
    # fork (not spawn): the workers inherit the imported packages, which
    # saves seconds per process; they run single-threaded (OpenMP thread
    # pools do not survive a fork).
    mp.start_processes(_worker,
                       args=(_free_port(), target, weights, out),
                       nprocs=2,
                       start_method='fork')
    for rank in range(2):
        with open(osp.join(out, f'rank{rank}.json')) as f:
            got = json.load(f)
        assert got == expected  # thresholds, counts, fingerprint
    pngs = [n for n in _listing(single) if n.endswith('.png')]
    assert len(pngs) == 3
    assert [n for n in _listing(out) if n.endswith('.png')] == pngs
    for name in pngs:
        np.testing.assert_array_equal(
            cv2.imread(osp.join(out, name), cv2.IMREAD_UNCHANGED),
            cv2.imread(osp.join(single, name), cv2.IMREAD_UNCHANGED))
