"""Every user-facing (leaf) config builds and trains one iteration.

The configs keep their real networks and pipelines; the test only points the
data roots at tiny on-disk fixtures, shrinks the Resize scales, removes the
model-zoo init (nothing may download) and stops after one iteration followed
by one validation pass.
"""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from fake_datasets import make_cityscapes, make_gta5, make_synthia

CONFIG_ROOT = osp.join(osp.dirname(__file__), '..', '..', 'configs')
LEAF_CONFIGS = sorted(
    osp.relpath(p, CONFIG_ROOT)
    for p in glob.glob(osp.join(CONFIG_ROOT, '**', '*.py'), recursive=True)
    if '_base_' not in p)
TINY_SCALE = (64, 32)


def _walk(obj, fn):
    if isinstance(obj, dict):
        fn(obj)
        for v in obj.values():
            _walk(v, fn)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _walk(v, fn)


def _point_to_fixtures(cfg, roots):

    def fix(node):
        if node.get('type') == 'Resize' and 'scale' in node:
            node['scale'] = TINY_SCALE
        if node.get('type') in roots and 'data_root' in node:
            node['data_root'] = roots[node['type']]
        if 'init_cfg' in node and isinstance(node['init_cfg'], dict) and \
                node['init_cfg'].get('type') == 'Pretrained':
            node['init_cfg'] = None

    _walk(cfg._cfg_dict, fix)


def test_there_are_leaf_configs():
    assert 'source_only/deeplabv2_r101_gta2city.py' in LEAF_CONFIGS


@pytest.mark.parametrize('name', LEAF_CONFIGS)
def test_leaf_config_trains_one_iteration(name, tmp_path):
    cfg = Config.fromfile(osp.join(CONFIG_ROOT, name))
    roots = dict(GTA5Dataset=make_gta5(tmp_path / 'gta', n=2),
                 SynthiaDataset=make_synthia(tmp_path / 'synthia', n=2),
                 CityscapesDataset=make_cityscapes(tmp_path / 'city'))
    _point_to_fixtures(cfg, roots)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False)
    cfg.train_dataloader.batch_size = 1
    cfg.train_cfg.update(max_iters=1, val_interval=1)
    cfg.default_hooks.checkpoint.interval = 1
    cfg.default_hooks.logger.interval = 1
    cfg.work_dir = str(tmp_path / 'work')
    cfg.visualizer.vis_backends = [dict(type='LocalVisBackend')]

    runner = Runner.from_cfg(cfg)
    runner.train()

    assert osp.isfile(osp.join(cfg.work_dir, 'iter_1.pth'))
    metrics = runner.message_hub.log_scalars
    assert 'val/mIoU' in metrics
    losses = [k for k in metrics if k.startswith('train/') and 'loss' in k]
    assert losses and all(
        float(metrics[k].current()) == float(metrics[k].current())
        for k in losses)  # finite, not NaN
