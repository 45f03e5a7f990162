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

from config_fixtures import tiny_run_cfg

CONFIG_ROOT = osp.join(osp.dirname(__file__), '..', '..', 'configs')
# configs/arloss/ (NYUv2 / Cityscapes-832 data, PSPNet/ICNet pooling that
# needs batch >= 2) is trained by test_arloss_configs.py on its own fixtures.
OWN_TESTS = ('arloss' + osp.sep, )
LEAF_CONFIGS = sorted(
    rel for rel in (osp.relpath(p, CONFIG_ROOT) for p in glob.glob(
        osp.join(CONFIG_ROOT, '**', '*.py'), recursive=True))
    if '_base_' not in rel and not rel.startswith(OWN_TESTS))


def test_there_are_leaf_configs():
    assert 'source_only/deeplabv2_r101_gta2city.py' in LEAF_CONFIGS


@pytest.mark.parametrize('name', LEAF_CONFIGS)
def test_leaf_config_trains_one_iteration(name, tmp_path):
    cfg = tiny_run_cfg(Config.fromfile(osp.join(CONFIG_ROOT, name)),
                       tmp_path)

    runner = Runner.from_cfg(cfg)
    runner.train()

    assert osp.isfile(osp.join(cfg.work_dir, 'iter_1.pth'))
    metrics = runner.message_hub.log_scalars
    # configs without labels to score (translation, M pretraining) have no
    # validation loop
    if cfg.get('val_dataloader') is not None:
        assert 'val/mIoU' in metrics
    losses = [k for k in metrics if k.startswith('train/') and 'loss' in k]
    assert losses and all(
        float(metrics[k].current()) == float(metrics[k].current())
        for k in losses)  # finite, not NaN
