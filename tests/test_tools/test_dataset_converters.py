import importlib.util
import json
import os
import os.path as osp
import sys

import cv2
import h5py
import numpy as np
import pytest
import scipy.io
from PIL import Image

import mmseg_uda  # noqa: F401
from mmseg_uda.datasets.label_mapping import (CITYSCAPES_ID_TO_TRAINID,
                                              SYNTHIA_ID_TO_TRAINID,
                                              SYNTHIA_ID_TO_TRAINID16)

TOOLS = osp.join(osp.dirname(__file__), '..', '..', 'tools',
                 'dataset_converters')


def load_tool(name):
    spec = importlib.util.spec_from_file_location(
        f'converter_{name}', osp.join(TOOLS, f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # picklable for --nproc workers
    spec.loader.exec_module(module)
    return module


def lut_map(label, table):
    """Independent reference: per-id masks, no lookup table."""
    out = np.full(label.shape, 255, np.uint8)
    for src, dst in table.items():
        out[label == src] = dst
    return out


# ---------------------------------------------------------------- GTA5


def write_gta_label(path, ids, mode='P'):
    if mode == 'P':
        # Palettised like the real files: pixel value = palette index = id.
        img = Image.frombytes('P', ids.shape[::-1], ids.tobytes())
        img.putpalette([v for i in range(256) for v in (i, 255 - i, 0)])
    else:
        img = Image.fromarray(ids, mode='L')
    img.save(path)


def write_image(path, h, w, seed=0):
    os.makedirs(osp.dirname(path), exist_ok=True)
    rng = np.random.default_rng(seed)
    assert cv2.imwrite(path, rng.integers(0, 255, (h, w, 3), np.uint8))


def test_gta5_converter(tmp_path):
    gta5 = load_tool('gta5')
    (tmp_path / 'labels').mkdir()
    rng = np.random.default_rng(0)
    ids = {n: rng.integers(0, 34, (5, 6)).astype(np.uint8) for n in 'ab'}
    write_gta_label(str(tmp_path / 'labels' / 'a.png'), ids['a'], 'P')
    write_gta_label(str(tmp_path / 'labels' / 'b.png'), ids['b'], 'L')
    for name in 'ab':
        write_image(str(tmp_path / 'images' / f'{name}.png'), 5, 6)
    stats = gta5.convert_gta5(str(tmp_path), nproc=2)
    for name in 'ab':
        out = cv2.imread(
            str(tmp_path / 'labels' / f'{name}_labelTrainIds.png'),
            cv2.IMREAD_UNCHANGED)
        expected = lut_map(ids[name], CITYSCAPES_ID_TO_TRAINID)
        np.testing.assert_array_equal(out, expected)
        counts = {
            str(c): int((expected == c).sum())
            for c in range(19) if (expected == c).any()
        }
        assert stats[name] == counts
    on_disk = json.loads((tmp_path / 'sample_class_stats.json').read_text())
    assert on_disk == stats
    assert not [f for f in os.listdir(tmp_path / 'labels') if 'tmp' in f]
    report = json.loads((tmp_path / 'conversion_report.json').read_text())
    assert (report['pairs'], report['usable']) == (2, 2)
    assert not (tmp_path / 'excluded_pairs.txt').exists()

    # Existing outputs are kept unless --overwrite.
    out_a = tmp_path / 'labels' / 'a_labelTrainIds.png'
    cv2.imwrite(str(out_a), np.zeros((5, 6), np.uint8))
    assert gta5.convert_gta5(str(tmp_path))['a'] == {'0': 30}
    gta5.convert_gta5(str(tmp_path), overwrite=True)
    np.testing.assert_array_equal(cv2.imread(str(out_a), cv2.IMREAD_UNCHANGED),
                                  lut_map(ids['a'], CITYSCAPES_ID_TO_TRAINID))


def make_bad_gta5(root):
    """One pair of each kind the pre-scan knows, and one good pair."""
    labels, images = root / 'labels', root / 'images'
    labels.mkdir(parents=True)
    road = np.full((4, 6), 7, np.uint8)  # Cityscapes id 7 = road
    for name in ('good', 'small_label', 'few_unknown', 'truncated',
                 'many_unknown', 'blank', 'void'):
        write_image(str(images / f'{name}.png'), 4, 6)
    write_gta_label(str(labels / 'good.png'), road)
    # label at half the image size: resized with nearest
    half = np.array([[7, 26, 7], [8, 8, 26]], np.uint8)
    write_gta_label(str(labels / 'small_label.png'), half)
    few = road.copy()
    few[0, 0] = 200
    write_gta_label(str(labels / 'few_unknown.png'), few)
    write_gta_label(str(labels / 'truncated.png'), road)
    data = (images / 'truncated.png').read_bytes()
    (images / 'truncated.png').write_bytes(data[:len(data) // 2])
    write_gta_label(str(labels / 'many_unknown.png'),
                    np.full((4, 6), 120, np.uint8))
    assert cv2.imwrite(str(images / 'blank.png'),
                       np.zeros((4, 6, 3), np.uint8))
    write_gta_label(str(labels / 'blank.png'), road)
    write_gta_label(str(labels / 'void.png'), np.zeros((4, 6), np.uint8))
    # an unreadable label
    (labels / 'broken.png').write_bytes(b'not a png')
    write_image(str(images / 'broken.png'), 4, 6)
    return root


def test_gta5_prescan_fixes_and_excludes_each_kind(tmp_path, capsys):
    gta5 = load_tool('gta5')
    root = make_bad_gta5(tmp_path / 'gta')
    stats = gta5.convert_gta5(str(root))
    assert sorted(stats) == ['few_unknown', 'good', 'small_label']

    report = json.loads((root / 'conversion_report.json').read_text())
    assert (report['pairs'], report['usable']) == (8, 3)
    excluded = {
        p: [c['name'] for c in items]
        for p, items in report['excluded'].items()
    }
    assert excluded == dict(unreadable_image=['truncated'],
                            unreadable_label=['broken'],
                            label_ids_out_of_range=['many_unknown'],
                            blank_image=['blank'],
                            no_labelled_pixels=['void'])
    assert [c['name'] for c in report['resized']] == ['small_label']
    assert report['resized'][0]['resized_from'] == [2, 3]
    assert report['unknown_ids_ignored'][0]['unknown_ids'] == [200]
    assert (root / 'excluded_pairs.txt').read_text().split() == [
        'blank', 'broken', 'many_unknown', 'truncated', 'void'
    ]
    small = cv2.imread(str(root / 'labels' / 'small_label_labelTrainIds.png'),
                       cv2.IMREAD_UNCHANGED)
    np.testing.assert_array_equal(
        small,
        np.array([[0, 0, 13, 13, 0, 0], [0, 0, 13, 13, 0, 0],
                  [1, 1, 1, 1, 13, 13], [1, 1, 1, 1, 13, 13]], np.uint8))
    few = cv2.imread(str(root / 'labels' / 'few_unknown_labelTrainIds.png'),
                     cv2.IMREAD_UNCHANGED)
    assert few[0, 0] == 255 and (few.ravel()[1:] == 0).all()
    printed = capsys.readouterr().out
    assert '8 pairs checked, 3 usable' in printed
    assert 'excluded, blank_image: 1 (blank)' in printed

    # the dataset leaves the excluded pairs out, though 'broken' and the
    # others have no converted label
    from mmseg_uda.datasets import GTA5Dataset
    ds = GTA5Dataset(data_root=str(root), pipeline=[])
    assert sorted(
        osp.basename(ds.get_data_info(i)['img_path'])
        for i in range(len(ds))) == [
        'few_unknown.png', 'good.png', 'small_label.png'
    ]

    # fixed data, converted again: the exclusion list goes away
    for name in ('truncated', 'blank', 'broken'):
        write_image(str(root / 'images' / f'{name}.png'), 4, 6)
        write_gta_label(str(root / 'labels' / f'{name}.png'),
                        np.full((4, 6), 7, np.uint8))
    for name in ('many_unknown', 'void'):
        os.remove(root / 'labels' / f'{name}.png')
        os.remove(root / 'images' / f'{name}.png')
    gta5.convert_gta5(str(root))
    assert not (root / 'excluded_pairs.txt').exists()


@pytest.mark.parametrize('bad', ['rgb', 'uint16'])
def test_gta5_converter_excludes_labels_of_the_wrong_format(tmp_path, bad):
    gta5 = load_tool('gta5')
    (tmp_path / 'labels').mkdir()
    path = str(tmp_path / 'labels' / 'x.png')
    if bad == 'rgb':
        cv2.imwrite(path, np.zeros((4, 4, 3), np.uint8))
    else:
        cv2.imwrite(path, np.zeros((4, 4), np.uint16))
    write_image(str(tmp_path / 'images' / 'x.png'), 4, 4)
    assert gta5.convert_gta5(str(tmp_path)) == {}
    report = json.loads((tmp_path / 'conversion_report.json').read_text())
    [item] = report['excluded']['unreadable_label']
    assert 'x.png' in item['detail']
    assert 'single-channel uint8' in item['detail']
    with pytest.raises(FileNotFoundError, match='labels'):
        gta5.convert_gta5(str(tmp_path / 'missing'))


def test_gta5_cli(tmp_path, monkeypatch, capsys):
    gta5 = load_tool('gta5')
    (tmp_path / 'labels').mkdir()
    write_gta_label(str(tmp_path / 'labels' / 'a.png'),
                    np.full((2, 3), 26, np.uint8))
    write_image(str(tmp_path / 'images' / 'a.png'), 2, 3)
    monkeypatch.setattr(sys, 'argv', ['gta5.py', str(tmp_path)])
    gta5.main()
    out = cv2.imread(str(tmp_path / 'labels' / 'a_labelTrainIds.png'),
                     cv2.IMREAD_UNCHANGED)
    assert (out == 13).all()  # car
    assert 'converted 1' in capsys.readouterr().out


# ------------------------------------------------------------- SYNTHIA


def write_synthia_label(path, class_ids, seed=1):
    rng = np.random.default_rng(seed)
    bgr = np.stack([
        np.full_like(class_ids, 0),
        rng.integers(0, 999, class_ids.shape), class_ids
    ],
                   axis=-1).astype(np.uint16)  # B, G = instance, R = class
    assert cv2.imwrite(path, bgr)


def test_synthia_converter(tmp_path):
    synthia = load_tool('synthia')
    label_dir = tmp_path / 'GT' / 'LABELS'
    label_dir.mkdir(parents=True)
    rng = np.random.default_rng(1)
    class_ids = rng.integers(0, 23, (5, 7)).astype(np.uint16)
    write_synthia_label(str(label_dir / '0000001.png'), class_ids)
    write_image(str(tmp_path / 'RGB' / '0000001.png'), 5, 7)
    stats = synthia.convert_synthia(str(tmp_path))
    out19 = cv2.imread(str(label_dir / '0000001_labelTrainIds.png'),
                       cv2.IMREAD_UNCHANGED)
    out16 = cv2.imread(str(label_dir / '0000001_labelTrainIds16.png'),
                       cv2.IMREAD_UNCHANGED)
    assert out19.dtype == np.uint8 and out19.ndim == 2
    np.testing.assert_array_equal(out19,
                                  lut_map(class_ids, SYNTHIA_ID_TO_TRAINID))
    np.testing.assert_array_equal(out16,
                                  lut_map(class_ids, SYNTHIA_ID_TO_TRAINID16))
    assert sum(stats['0000001'].values()) == int((out19 != 255).sum())
    # A second run finds both outputs and keeps them.
    assert synthia.convert_synthia(str(tmp_path)) == stats


def test_synthia_prescan_resizes_and_excludes(tmp_path):
    synthia = load_tool('synthia')
    label_dir = tmp_path / 'GT' / 'LABELS'
    label_dir.mkdir(parents=True)
    # class 3 = road (train id 0); label at half the image size
    write_synthia_label(str(label_dir / 'a.png'),
                        np.full((2, 3), 3, np.uint16))
    write_image(str(tmp_path / 'RGB' / 'a.png'), 4, 6)
    write_synthia_label(str(label_dir / 'b.png'),
                        np.full((4, 6), 500, np.uint16))
    write_image(str(tmp_path / 'RGB' / 'b.png'), 4, 6)
    write_synthia_label(str(label_dir / 'c.png'), np.full((4, 6), 3,
                                                          np.uint16))
    stats = synthia.convert_synthia(str(tmp_path))
    assert list(stats) == ['a']
    for suffix in ('_labelTrainIds.png', '_labelTrainIds16.png'):
        out = cv2.imread(str(label_dir / f'a{suffix}'), cv2.IMREAD_UNCHANGED)
        assert out.shape == (4, 6) and (out == 0).all()
    report = json.loads((tmp_path / 'conversion_report.json').read_text())
    assert [c['name'] for c in report['resized']] == ['a']
    assert [c['name'] for c in report['excluded']['label_ids_out_of_range']
            ] == ['b']
    assert [c['name'] for c in report['excluded']['unreadable_image']
            ] == ['c']
    assert (tmp_path / 'excluded_pairs.txt').read_text().split() == ['b', 'c']


@pytest.mark.parametrize('bad,what', [('uint8', 'uint8'),
                                      ('single', '1 channel')])
def test_synthia_converter_excludes_bad_labels(tmp_path, bad, what):
    synthia = load_tool('synthia')
    label_dir = tmp_path / 'GT' / 'LABELS'
    label_dir.mkdir(parents=True)
    arr = (np.zeros((3, 3, 3), np.uint8) if bad == 'uint8' else np.zeros(
        (3, 3), np.uint16))
    cv2.imwrite(str(label_dir / 'bad.png'), arr)
    write_image(str(tmp_path / 'RGB' / 'bad.png'), 3, 3)
    assert synthia.convert_synthia(str(tmp_path)) == {}
    report = json.loads((tmp_path / 'conversion_report.json').read_text())
    [item] = report['excluded']['unreadable_label']
    assert 'bad.png' in item['detail'] and what in item['detail']
    assert '16-bit' in item['detail']


# --------------------------------------------------------------- NYUv2


def make_nyu_fixture(tmp_path, n=4, h=4, w=5, num_raw=894):
    rng = np.random.default_rng(2)
    images = rng.integers(0, 255, (n, h, w, 3), dtype=np.uint8)
    raw = rng.integers(0, num_raw + 1, (n, h, w)).astype(np.uint16)
    raw[:, 0, 0] = 0  # unlabeled
    mat = tmp_path / 'nyu_depth_v2_labeled.mat'
    with h5py.File(mat, 'w') as f:
        # MATLAB v7.3 stores column-major: (N, 3, W, H) and (N, W, H).
        f['images'] = images.transpose(0, 3, 2, 1)
        f['labels'] = raw.transpose(0, 2, 1)
    map_class = rng.integers(1, 41, (1, num_raw)).astype(np.float64)
    scipy.io.savemat(tmp_path / 'classMapping40.mat', dict(mapClass=map_class))
    scipy.io.savemat(
        tmp_path / 'splits.mat',
        dict(trainNdxs=np.array([[1], [3]]), testNdxs=np.array([[2], [4]])))
    return images, raw, map_class.ravel().astype(int), mat


def test_nyuv2_converter(tmp_path):
    nyuv2 = load_tool('nyuv2')
    images, raw, map_class, mat = make_nyu_fixture(tmp_path)
    out = tmp_path / 'out'
    counts = nyuv2.convert_nyuv2(str(mat),
                                 str(tmp_path / 'splits.mat'),
                                 str(out),
                                 nproc=2)
    assert counts == dict(train=2, test=2)
    lookup = np.concatenate([[0], map_class])  # [0] + mapClass
    for split, number in [('train', 1), ('test', 2), ('train', 3),
                          ('test', 4)]:
        img = cv2.imread(str(out / 'images' / split / f'{number:04d}.png'))
        np.testing.assert_array_equal(img[..., ::-1], images[number - 1])
        ann = cv2.imread(
            str(out / 'annotations' / split / f'{number:04d}.png'),
            cv2.IMREAD_UNCHANGED)
        label40 = lookup[raw[number - 1]]
        expected = np.where(label40 == 0, 255, label40 - 1)
        np.testing.assert_array_equal(ann, expected)
        assert ann[0, 0] == 255
    assert sorted(os.listdir(out / 'images' /
                             'train')) == ['0001.png', '0003.png']


def test_nyuv2_converter_errors(tmp_path):
    nyuv2 = load_tool('nyuv2')
    _, _, _, mat = make_nyu_fixture(tmp_path)
    splits = str(tmp_path / 'splits.mat')
    os.rename(tmp_path / 'classMapping40.mat', tmp_path / 'other.mat')
    with pytest.raises(FileNotFoundError, match='--class-map'):
        nyuv2.convert_nyuv2(str(mat), splits, str(tmp_path / 'o'))
    scipy.io.savemat(tmp_path / 'wrong.mat', dict(mapping=np.ones(3)))
    with pytest.raises(KeyError, match=r'wrong\.mat.*mapClass'):
        nyuv2.convert_nyuv2(str(mat), splits, str(tmp_path / 'o'),
                            str(tmp_path / 'wrong.mat'))
    scipy.io.savemat(tmp_path / 'bad_split.mat',
                     dict(trainNdxs=[[5]], testNdxs=[[1]]))
    with pytest.raises(ValueError, match=r'bad_split\.mat.*trainNdxs'):
        nyuv2.convert_nyuv2(str(mat), str(tmp_path / 'bad_split.mat'),
                            str(tmp_path / 'o'), str(tmp_path / 'other.mat'))
    with h5py.File(tmp_path / 'no_labels.mat', 'w') as f:
        f['images'] = np.zeros((1, 3, 5, 4), np.uint8)
    with pytest.raises(KeyError, match=r'no_labels\.mat.*labels'):
        nyuv2.convert_nyuv2(str(tmp_path / 'no_labels.mat'), splits,
                            str(tmp_path / 'o'), str(tmp_path / 'other.mat'))
    with pytest.raises(ValueError, match=r'splits\.mat.*HDF5'):
        nyuv2.convert_nyuv2(splits, splits, str(tmp_path / 'o'),
                            str(tmp_path / 'other.mat'))
