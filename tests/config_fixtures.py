"""Turn a real config into a tiny CPU run on on-disk fixtures.

The config keeps its networks, pipelines, aligners and hooks; data roots
point at tiny datasets (tests/fake_datasets.py), Resize scales and the
batch padding size shrink, model-zoo init is removed (nothing may
download), SIM feature banks are capped at their default sizes, the
debug panels are off and the run is short.
"""
from mmengine.config import Config

import json
import os
import os.path as osp

import cv2
import numpy as np

from fake_datasets import make_cityscapes, make_gta5, make_synthia
from mmseg_uda.utils import for_each_dict

TINY_SCALE = (64, 32)


#: Label folder and train-id suffix of each source fixture.
_SOURCE_LABELS = dict(GTA5Dataset=('labels', '_labelTrainIds.png'),
                      SynthiaDataset=('GT/LABELS', '_labelTrainIds.png'))


def write_class_stats(root: str, dataset_type: str) -> str:
    """``sample_class_stats.json`` of a source fixture, as the converters
    write it (image stem -> {train id: pixels}); returns its path."""
    folder, suffix = _SOURCE_LABELS[dataset_type]
    label_dir = osp.join(root, folder)
    stats = {}
    for name in sorted(os.listdir(label_dir)):
        if name.endswith(suffix):
            label = cv2.imread(osp.join(label_dir, name),
                               cv2.IMREAD_UNCHANGED)
            ids, counts = np.unique(label[label != 255], return_counts=True)
            stats[name[:-len(suffix)]] = {
                str(int(i)): int(n)
                for i, n in zip(ids, counts)
            }
    path = osp.join(root, 'sample_class_stats.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(stats, f)
    return path


def tiny_run_cfg(cfg: Config, tmp_path, max_iters: int = 1) -> Config:
    """Point ``cfg`` at fixtures under ``tmp_path``; train ``max_iters``."""
    roots = dict(GTA5Dataset=make_gta5(tmp_path / 'gta', n=2),
                 SynthiaDataset=make_synthia(tmp_path / 'synthia', n=2),
                 CityscapesDataset=make_cityscapes(tmp_path / 'city'))

    def fix(node):
        sampling = node.get('source_sampling')
        if node.get('type') == 'UDADataset' and sampling:
            # rare class sampling reads the source fixture's statistics
            src_type = node['source']['type']
            sampling['stats_file'] = write_class_stats(
                roots[src_type], src_type)
        if node.get('type') == 'Resize' and 'scale' in node:
            node['scale'] = TINY_SCALE
        if node.get('type') == 'SegDataPreProcessor' and node.get('size'):
            # crop recipes pad every batch to the crop (512 x 512): on tiny
            # images that is a full-size forward (MiT-B5 + teacher + MIC
            # took 14 GB and crashed a CI worker); pad to the tiny scale
            node['size'] = (TINY_SCALE[1], TINY_SCALE[0])
        if node.get('type') == 'PseudoLabelHook' and node.get('label_scale'):
            # labels written at the (shrunk) training size
            node['label_scale'] = TINY_SCALE
        if node.get('type') in roots and 'data_root' in node:
            node['data_root'] = roots[node['type']]
            prefix = node.get('data_prefix') or {}
            img_path = prefix.get('img_path', '')
            if img_path.startswith('../'):
                # images of a sibling folder in the same layout (LDR reads
                # translated val images): the fixture's originals stand in
                prefix['img_path'] = img_path.split('/', 2)[2]
        if node.get('type') == 'StuffInstanceMatching':
            # feature banks are checkpointed buffers (1.5 GB at Table 4's
            # w = 1600): tiny runs keep at most the default sizes
            for key, cap in (('stuff_bank_size', 50),
                             ('thing_bank_size', 500)):
                node[key] = min(node.get(key, cap), cap)
        init_cfg = node.get('init_cfg')
        if isinstance(init_cfg, dict) and init_cfg.get('type') in (
                'Pretrained', 'PretrainedWithFallback'):
            node['init_cfg'] = None

    for_each_dict(cfg._cfg_dict, fix)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        # None in configs without evaluation (translation, M pretraining)
        if cfg.get(loader) is not None:
            cfg[loader].update(num_workers=0, persistent_workers=False)
    cfg.train_dataloader.batch_size = 1
    cfg.train_cfg.update(max_iters=max_iters, val_interval=max_iters)
    cfg.default_hooks.checkpoint.interval = max_iters
    cfg.default_hooks.logger.interval = 1
    # picture panels are tested on their own (off unless a test asks)
    cfg.default_hooks.pop('debug_panels', None)
    cfg.work_dir = str(tmp_path / 'work')
    # a config that starts from another run's checkpoint (GL on BDL)
    # starts from its init here
    cfg.load_from = None
    cfg.visualizer.vis_backends = [dict(type='LocalVisBackend')]
    return cfg
