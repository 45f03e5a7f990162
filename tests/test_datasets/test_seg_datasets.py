import os
import os.path as osp

import cv2
import numpy as np
import pytest

from mmseg.registry import DATASETS
from mmseg_uda.datasets import GTA5Dataset, NYUv2Dataset, SynthiaDataset
from mmseg_uda.datasets.label_mapping import (CITYSCAPES_CLASSES,
                                              NYUV2_40_CLASSES,
                                              SYNTHIA16_CLASSES)

from fake_datasets import H, W, make_gta5, make_nyuv2, make_synthia


def pipeline(num_classes):
    return [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='CheckSegMap', num_classes=num_classes),
        dict(type='PackSegInputs'),
    ]


def test_gta5_dataset_builds_and_loads(tmp_path):
    root = make_gta5(tmp_path / 'gta')
    ds = DATASETS.build(
        dict(type='GTA5Dataset', data_root=root, pipeline=pipeline(19)))
    assert isinstance(ds, GTA5Dataset) and len(ds) == 3
    assert ds.metainfo['classes'] == CITYSCAPES_CLASSES
    info = ds.get_data_info(1)
    assert info['img_path'] == osp.join(root, 'images', '00001.png')
    assert info['seg_map_path'] == osp.join(root, 'labels',
                                            '00001_labelTrainIds.png')
    sample = ds[1]
    expected = cv2.imread(info['seg_map_path'], cv2.IMREAD_UNCHANGED)
    np.testing.assert_array_equal(
        sample['data_samples'].gt_sem_seg.data[0].numpy(), expected)
    assert tuple(sample['inputs'].shape) == (3, H, W)


def test_synthia_dataset_19_and_16(tmp_path):
    root = make_synthia(tmp_path / 'synthia')
    ds19 = DATASETS.build(
        dict(type='SynthiaDataset', data_root=root, pipeline=pipeline(19)))
    assert ds19.metainfo['classes'] == CITYSCAPES_CLASSES
    assert ds19.get_data_info(0)['seg_map_path'].endswith(
        '0000000_labelTrainIds.png')
    assert ds19.label_map is None
    ds16 = SynthiaDataset(num_classes=16,
                          data_root=root,
                          pipeline=pipeline(16))
    assert ds16.metainfo['classes'] == SYNTHIA16_CLASSES
    assert len(ds16.metainfo['palette']) == 16
    assert ds16.label_map is None  # 16-class files are used as they are
    assert ds16.get_data_info(0)['seg_map_path'].endswith(
        '0000000_labelTrainIds16.png')
    assert len(ds16) == 2 and ds16[0]['inputs'].shape[1:] == (H, W)
    # A custom class subset of the 16-class space is remapped from it.
    sub = SynthiaDataset(num_classes=16,
                         data_root=root,
                         metainfo=dict(classes=('sky', 'road')))
    assert sub.label_map[SYNTHIA16_CLASSES.index('sky')] == 0
    assert sub.label_map[SYNTHIA16_CLASSES.index('road')] == 1
    assert sub.label_map[SYNTHIA16_CLASSES.index('car')] == 255
    with pytest.raises(ValueError, match='19 or 16'):
        SynthiaDataset(num_classes=13, data_root=root)


def test_nyuv2_dataset(tmp_path):
    root = make_nyuv2(tmp_path / 'nyu')
    train = DATASETS.build(
        dict(type='NYUv2Dataset', data_root=root, pipeline=pipeline(40)))
    assert isinstance(train, NYUv2Dataset) and len(train) == 2
    assert train.metainfo['classes'] == NYUV2_40_CLASSES
    assert train.get_data_info(0)['img_path'].endswith(
        osp.join('images', 'train', '0001.png'))
    test = NYUv2Dataset(data_root=root,
                        data_prefix=dict(img_path='images/test',
                                         seg_map_path='annotations/test'),
                        pipeline=pipeline(40),
                        test_mode=True)
    assert test.get_data_info(1)['seg_map_path'].endswith(
        osp.join('annotations', 'test', '0002.png'))
    assert test[1]['data_samples'].gt_sem_seg.data.shape[1:] == (H, W)


def test_split_file_selects_samples(tmp_path):
    root = make_gta5(tmp_path / 'gta')
    (tmp_path / 'gta' / 'split.txt').write_text('00002\n00000\n')
    ds = GTA5Dataset(data_root=root, ann_file='split.txt')
    names = [
        osp.basename(ds.get_data_info(i)['img_path']) for i in range(len(ds))
    ]
    assert names == ['00000.png', '00002.png']
    (tmp_path / 'gta' / 'bad.txt').write_text('00009\n')
    with pytest.raises(FileNotFoundError, match='00009.png'):
        GTA5Dataset(data_root=root, ann_file='bad.txt')


def test_missing_folders_and_empty(tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere'):
        GTA5Dataset(data_root=str(tmp_path / 'nowhere'))
    (tmp_path / 'gta' / 'labels').mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match=r'image folder.*images'):
        GTA5Dataset(data_root=str(tmp_path / 'gta'))
    (tmp_path / 'gta' / 'images').mkdir()
    with pytest.raises(FileNotFoundError, match='no image'):
        GTA5Dataset(data_root=str(tmp_path / 'gta'))
    root = make_nyuv2(tmp_path / 'nyu')
    with pytest.raises(FileNotFoundError, match=r'label folder.*annot'):
        NYUv2Dataset(data_root=root,
                     data_prefix=dict(img_path='images/train',
                                      seg_map_path='annot/train'))


def test_unpaired_files(tmp_path):
    root = make_gta5(tmp_path / 'gta')
    os.remove(osp.join(root, 'labels', '00001_labelTrainIds.png'))
    with pytest.raises(FileNotFoundError) as err:
        GTA5Dataset(data_root=root)
    assert '00001_labelTrainIds.png' in str(err.value)
    assert '3 images' in str(err.value) and '2 label' in str(err.value)

    root = make_synthia(tmp_path / 'synthia')
    os.remove(osp.join(root, 'RGB', '0000001.png'))
    with pytest.raises(FileNotFoundError) as err:
        SynthiaDataset(data_root=root)
    assert osp.join('LABELS', '0000001_labelTrainIds.png') in str(err.value)
    assert '1 images' in str(err.value)


def test_bad_sample_errors_name_the_file(tmp_path):
    root = make_gta5(tmp_path / 'gta')
    # Label of another size than its image.
    bad = osp.join(root, 'labels', '00000_labelTrainIds.png')
    cv2.imwrite(bad, np.zeros((H + 1, W), np.uint8))
    # Label value outside the 19-class space.
    out_of_range = osp.join(root, 'labels', '00001_labelTrainIds.png')
    cv2.imwrite(out_of_range, np.full((H, W), 19, np.uint8))
    # Truncated label PNG (PIL's message does not name the file).
    truncated = osp.join(root, 'labels', '00002_labelTrainIds.png')
    data = open(truncated, 'rb').read()
    open(truncated, 'wb').write(data[:len(data) // 2])
    ds = GTA5Dataset(data_root=root, pipeline=pipeline(19))
    with pytest.raises(ValueError, match='00000_labelTrainIds.png.*shape'):
        ds[0]
    with pytest.raises(ValueError, match=r'00001_labelTrainIds.png.*\[19\]'):
        ds[1]
    with pytest.raises(Exception, match='00002_labelTrainIds.png'):
        ds[2]
    # Truncated image.
    img = osp.join(root, 'images', '00002.png')
    open(img, 'wb').write(b'\x89PNG not really')
    with pytest.raises(Exception, match='00002.png'):
        ds[2]
