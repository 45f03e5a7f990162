"""The AR-loss configs (configs/arloss) build and train on tiny fixtures.

On top of ``tiny_run_cfg`` (which does not know NYUv2, random rescales or
``load_from``) the NYUv2 data root points at a tiny NYUv2 fixture, random
rescales and crops shrink, and the batch holds two images: PSPNet's and
ICNet's 1x1 pyramid pooling normalises over the batch, which BN cannot do
with a single 1x1 feature in training.
"""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from config_fixtures import _walk, tiny_run_cfg
from fake_datasets import make_nyuv2
from mmseg.registry import HOOKS

CONFIG_DIR = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'arloss')
BASELINES = [
    'pspnet_r101-d8_2xb3-26k_nyuv2-480x480.py',
    'icnet_r50-d8_4xb2-80k_cityscapes-832x832.py',
]
WITH_LOSS = [
    'pspnet_r101-d8_2xb3-26k_nyuv2-480x480_arloss.py',
    'icnet_r50-d8_4xb2-80k_cityscapes-832x832_arloss.py',
]
FINE_TUNE = {
    'pspnet_r101-d8_2xb3-arloss-ft-6.6k_nyuv2-480x480.py': BASELINES[0],
    'icnet_r50-d8_4xb2-arloss-ft-20k_cityscapes-832x832.py': BASELINES[1],
}
TINY_CROP = (32, 32)


def tiny_arloss_cfg(name, tmp_path, max_iters=1):
    cfg = tiny_run_cfg(Config.fromfile(osp.join(CONFIG_DIR, name)),
                       tmp_path, max_iters)
    nyu_root = make_nyuv2(tmp_path / 'nyu', n=2)

    def fix(node):
        if node.get('type') == 'NYUv2Dataset':
            node['data_root'] = nyu_root
        if node.get('type') == 'RandomResize':
            node['scale'] = (64, 48)
        if node.get('type') == 'RandomCrop':
            node['crop_size'] = TINY_CROP
        if node.get('type') == 'Resize' and 'scale' in node:
            node['scale'] = (64, 48)

    _walk(cfg._cfg_dict, fix)
    cfg.model.data_preprocessor.size = TINY_CROP
    cfg.train_dataloader.batch_size = 2
    cfg.load_from = None
    return cfg


def test_all_arloss_configs_are_tested():
    import glob
    names = {osp.basename(p) for p in glob.glob(osp.join(CONFIG_DIR, '*'))}
    assert names == set(BASELINES) | set(WITH_LOSS) | set(FINE_TUNE)


def _ar_entries(cfg):
    losses = cfg.model.decode_head.loss_decode
    losses = losses if isinstance(losses, list) else [losses]
    return [d for d in losses if d['type'] == 'AffinityRegressionLoss']


@pytest.mark.parametrize('name', BASELINES + WITH_LOSS)
def test_config_trains_one_iteration(name, tmp_path):
    cfg = tiny_arloss_cfg(name, tmp_path)
    with_loss = name in WITH_LOSS
    # the AR variant is the baseline plus one loss on the main head only
    assert len(_ar_entries(cfg)) == int(with_loss)
    aux = cfg.model.auxiliary_head
    for head in aux if isinstance(aux, list) else [aux]:
        assert head.loss_decode['type'] == 'CrossEntropyLoss'

    runner = Runner.from_cfg(cfg)
    runner.train()

    scalars = runner.message_hub.log_scalars
    assert 'val/mIoU' in scalars
    assert ('train/decode.loss_ar' in scalars) == with_loss
    loss = float(scalars['train/loss'].current())
    assert loss == loss  # not NaN
    if with_loss:
        assert float(scalars['train/decode.loss_ar'].current()) > 0


@HOOKS.register_module(force=True)
class InitialWeightsProbeHook(Hook):
    """Keeps a copy of the weights the run starts from (after load_from)."""
    state = None

    def before_train(self, runner):
        type(self).state = {
            k: v.detach().clone()
            for k, v in runner.model.state_dict().items()
        }


@pytest.mark.parametrize('fine_tune', sorted(FINE_TUNE))
def test_fine_tune_recipe_continues_from_the_baseline(
        fine_tune, tmp_path, monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')  # load_from reads a full checkpoint
    baseline = FINE_TUNE[fine_tune]
    raw = Config.fromfile(osp.join(CONFIG_DIR, fine_tune))
    base_raw = Config.fromfile(osp.join(CONFIG_DIR, baseline))
    # load_from names the baseline's final checkpoint in its default
    # work_dir (tools/train.py: work_dirs/<config name>)
    stem = osp.splitext(baseline)[0]
    assert raw.load_from == (f'work_dirs/{stem}/'
                             f'iter_{base_raw.train_cfg.max_iters}.pth')
    assert len(_ar_entries(raw)) == 1
    # shorter schedule at a lower lr, no ImageNet init on top of the load
    assert raw.train_cfg.max_iters < base_raw.train_cfg.max_iters
    assert raw.optim_wrapper.optimizer.lr < \
        base_raw.optim_wrapper.optimizer.lr
    assert raw.param_scheduler[0]['end'] == raw.train_cfg.max_iters

    base_cfg = tiny_arloss_cfg(baseline, tmp_path / 'base')
    Runner.from_cfg(base_cfg).train()
    ckpt = osp.join(base_cfg.work_dir, 'iter_1.pth')

    cfg = tiny_arloss_cfg(fine_tune, tmp_path / 'ft')
    cfg.load_from = ckpt
    cfg.custom_hooks = [dict(type='InitialWeightsProbeHook')]
    InitialWeightsProbeHook.state = None
    runner = Runner.from_cfg(cfg)
    runner.train()

    trained = torch.load(ckpt, map_location='cpu',
                         weights_only=False)['state_dict']
    start = InitialWeightsProbeHook.state
    assert start.keys() == trained.keys()
    for key in trained:
        assert torch.equal(start[key], trained[key]), key
    assert 'train/decode.loss_ar' in runner.message_hub.log_scalars
