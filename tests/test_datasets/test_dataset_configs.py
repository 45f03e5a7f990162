import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.config import Config

from mmseg.registry import DATASETS
from fake_datasets import (make_cityscapes, make_gta5, make_nyuv2,
                           make_synthia)

CONFIG_DIR = osp.join(osp.dirname(__file__), '..', '..', 'configs', '_base_',
                      'datasets')


def build(dataset_cfg, data_root):
    cfg = dataset_cfg.copy()
    cfg['data_root'] = data_root
    return DATASETS.build(cfg)


@pytest.mark.parametrize('name,maker,train_shape', [
    ('gta5', make_gta5, (720, 1280)),
    ('synthia', make_synthia, (760, 1280)),
    ('cityscapes_target', make_cityscapes, (512, 1024)),
    ('nyuv2', make_nyuv2, (480, 480)),
])
def test_base_dataset_configs_build(tmp_path, name, maker, train_shape):
    cfg = Config.fromfile(osp.join(CONFIG_DIR, f'{name}.py'))
    # Bases must stack with the model/runtime bases: only
    # default_runtime.py may define custom_imports.
    assert 'custom_imports' not in cfg
    assert cfg.train_dataloader.sampler.type == 'InfiniteSampler'
    assert cfg.val_evaluator == dict(type='IoUMetric', iou_metrics=['mIoU'])
    root = maker(tmp_path / name)
    city = make_cityscapes(tmp_path / 'city')
    train = build(cfg.train_dataloader.dataset, root)
    sample = train[0]
    shape = tuple(sample['inputs'].shape[1:])
    if name == 'nyuv2':
        # Random rescale (0.5-2.0) then a crop of at most 480x480; smaller
        # images are padded to the crop size by the data preprocessor.
        assert all(0 < s <= c for s, c in zip(shape, train_shape))
        train_shape = shape
    assert shape == train_shape
    has_label = name != 'cityscapes_target'
    assert ('gt_sem_seg' in sample['data_samples']) == has_label
    if has_label:
        assert sample['data_samples'].gt_sem_seg.data.shape[1:] == \
            train_shape
    val_root = root if name == 'nyuv2' else city
    val = build(cfg.val_dataloader.dataset, val_root)
    sample = val[0]
    seg = sample['data_samples'].gt_sem_seg.data
    if name == 'nyuv2':
        assert tuple(sample['inputs'].shape[1:]) == (480, 640)
    else:
        # Image at 1024x512, label kept at the resolution on disk.
        assert tuple(sample['inputs'].shape[1:]) == (512, 1024)
        assert tuple(seg.shape[1:]) == (6, 8)
        on_disk = val.get_data_info(0)['seg_map_path']
        np.testing.assert_array_equal(
            seg[0].numpy(), cv2.imread(on_disk, cv2.IMREAD_UNCHANGED))


def test_uda_composition_from_bases(tmp_path):
    """The documented way to pair a source base with the target base."""
    gta = make_gta5(tmp_path / 'gta')
    city = make_cityscapes(tmp_path / 'city')
    cfg_file = tmp_path / 'uda.py'
    cfg_file.write_text(
        f"_base_ = ['{osp.abspath(CONFIG_DIR)}/cityscapes_target.py']\n"
        'train_dataloader = dict(\n'
        "    sampler=dict(type='UDAInfiniteSampler'),\n"
        '    dataset=dict(\n'
        '        _delete_=True,\n'
        "        type='UDADataset',\n"
        '        source=dict(\n'
        "            type='GTA5Dataset',\n"
        f"            data_root='{gta}',\n"
        "            pipeline=[dict(type='LoadImageFromFile'),\n"
        "                      dict(type='LoadAnnotations'),\n"
        "                      dict(type='PackSegInputs')]),\n"
        '        target={{_base_.target_train_dataset}}))\n')
    cfg = Config.fromfile(str(cfg_file))
    assert cfg.train_dataloader.sampler.type == 'UDAInfiniteSampler'
    cfg.train_dataloader.dataset.target.data_root = city
    ds = DATASETS.build(cfg.train_dataloader.dataset)
    pair = ds[5]
    assert pair['source']['data_samples'].img_path.endswith('00002.png')
    assert tuple(pair['target']['inputs'].shape[1:]) == (512, 1024)
