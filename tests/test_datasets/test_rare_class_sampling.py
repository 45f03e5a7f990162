"""Rare class sampling: probabilities against DAFormer's formula, image
frequencies on a fixture, determinism per index inside UDADataset."""
import json
import math

import numpy as np
import pytest

from fake_datasets import make_cityscapes, make_gta5
from mmseg_uda.datasets import (GTA5Dataset, RareClassSampling, UDADataset,
                                rcs_class_probabilities)


def test_probabilities_follow_the_formula():
    pixels = {0: 70, 1: 20, 2: 10}
    classes, probs = rcs_class_probabilities(pixels, temperature=0.5)
    assert classes == [0, 1, 2]
    # exp((1 - f_c) / T), normalised; f = 0.7, 0.2, 0.1
    raw = [math.exp((1 - f) / 0.5) for f in (0.7, 0.2, 0.1)]
    np.testing.assert_allclose(probs, [r / sum(raw) for r in raw])
    # small T: stable, and the rarest class dominates
    _, sharp = rcs_class_probabilities(pixels, temperature=0.01)
    assert np.isfinite(sharp).all() and sharp.argmax() == 2
    with pytest.raises(ValueError, match='temperature'):
        rcs_class_probabilities(pixels, 0)


def _stats(tmp_path, stats):
    path = tmp_path / 'sample_class_stats.json'
    path.write_text(json.dumps(stats))
    return str(path)


def test_image_frequencies_on_a_fixture(tmp_path):
    root = make_gta5(tmp_path / 'gta', n=3)
    # class 0 everywhere (common), class 5 only in image 00002 (rare)
    stats = {'00000': {'0': 900}, '00001': {'0': 800, '3': 100},
             '00002': {'0': 100, '5': 10}}
    sampling = RareClassSampling(_stats(tmp_path, stats), temperature=0.5)
    dataset = GTA5Dataset(data_root=root, pipeline=[])
    sampling.bind(dataset)
    assert sampling.classes == [0, 3, 5]
    classes, probs = rcs_class_probabilities({0: 1800, 3: 100, 5: 10}, 0.5)
    np.testing.assert_allclose(sampling.probs, probs)
    # expected image frequencies: P(0) / 3 each, + P(3) for 00001,
    # + P(5) for 00002
    expected = np.full(3, probs[0] / 3)
    expected[1] += probs[1]
    expected[2] += probs[2]
    rng = np.random.default_rng(0)
    draws = np.bincount([sampling.source_index(rng) for _ in range(20000)],
                        minlength=3) / 20000
    np.testing.assert_allclose(draws, expected, atol=0.015)


def test_uda_dataset_draws_the_same_source_per_index(tmp_path):
    root = make_gta5(tmp_path / 'gta', n=3)
    stats = _stats(tmp_path, {'00000': {'0': 9}, '00001': {'0': 9},
                              '00002': {'5': 1}})
    target = dict(type='CityscapesDataset',
                  data_root=make_cityscapes(tmp_path / 'city'),
                  data_prefix=dict(img_path='leftImg8bit/train'),
                  pipeline=[])
    source = dict(type='GTA5Dataset', data_root=root, pipeline=[])
    kwargs = dict(source=source, target=target, seed=3,
                  source_sampling=dict(type='RareClassSampling',
                                       stats_file=stats, temperature=0.5))
    a, b = UDADataset(**kwargs), UDADataset(**kwargs)
    picks = [a.source_index(i) for i in range(200)]
    assert picks == [b.source_index(i) for i in range(200)]
    assert set(picks) == {0, 1, 2}
    # the rare-class image is drawn far more often than uniformly
    assert picks.count(2) / 200 > 0.5
    # without sampling: idx % len
    plain = UDADataset(source=source, target=target)
    assert [plain.source_index(i) for i in range(4)] == [0, 1, 2, 0]


def test_missing_stats_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='converter'):
        RareClassSampling(str(tmp_path / 'nope.json'))
    root = make_gta5(tmp_path / 'gta', n=2)
    sampling = RareClassSampling(_stats(tmp_path, {'00000': {'0': 1}}))
    with pytest.raises(KeyError, match='00001'):
        sampling.bind(GTA5Dataset(data_root=root, pipeline=[]))
    with pytest.raises(RuntimeError, match='bind'):
        RareClassSampling(_stats(tmp_path, {})).source_index(
            np.random.default_rng(0))
