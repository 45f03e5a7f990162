"""The LDR demo pipeline (M pretraining, then adaptation) on tiny data.

The configs keep their networks (ResNet generator M, multi-scale PatchGAN
D_k), aligners and schedules; images are resized to 128x64 (the smallest
size at which the 1/4-scale PatchGAN still has an output) and the runs are
a few iterations long.
"""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from config_fixtures import _walk, tiny_run_cfg
from fake_datasets import make_gta5
from mmseg.registry import HOOKS

ROOT = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'demo')
PRETRAIN = osp.join(ROOT, 'ldr_pretrain_m_synthetic.py')
ADAPT = osp.join(ROOT, 'ldr_synthetic.py')
SCALE = (128, 64)


def _rescale(cfg):
    def fix(node):
        if node.get('type') == 'Resize':
            node['scale'] = SCALE
    _walk(cfg._cfg_dict, fix)


def _pretrain_cfg(tmp_path, work_dir, max_iters=2):
    cfg = Config.fromfile(PRETRAIN)
    cfg.train_dataloader.dataset.data_root = make_gta5(tmp_path / 'gta', n=2)
    cfg.train_dataloader.update(num_workers=0, persistent_workers=False,
                                batch_size=1)
    _rescale(cfg)
    cfg.train_cfg.max_iters = max_iters
    cfg.param_scheduler.reconstructor[0].end = max_iters
    cfg.param_scheduler.discriminator[0].end = max_iters
    cfg.default_hooks.checkpoint.interval = max_iters
    cfg.default_hooks.logger.interval = 1
    cfg.randomness = dict(seed=0)
    cfg.work_dir = str(work_dir)
    cfg.visualizer.vis_backends = [dict(type='LocalVisBackend')]
    return cfg


def _adapt_cfg(tmp_path, work_dir, max_iters, m_checkpoint=None):
    cfg = tiny_run_cfg(Config.fromfile(ADAPT), tmp_path, max_iters=max_iters)
    _rescale(cfg)
    reconstructor = cfg.model.aligners.ldr.reconstructor
    reconstructor.init_cfg = None if m_checkpoint is None else dict(
        type='Pretrained', checkpoint=m_checkpoint, prefix='reconstructor.')
    cfg.train_cfg.val_interval = 100
    cfg.default_hooks.checkpoint.interval = 1
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.work_dir = str(work_dir)
    return cfg


@HOOKS.register_module(force=True)
class LDRProbeHook(Hook):
    """Records M's weights when training starts (after init_weights)."""
    priority = 'LOWEST'
    m_weights = None

    def before_train(self, runner):
        model = runner.model
        model = model.module if is_model_wrapper(model) else model
        type(self).m_weights = {
            k: v.clone()
            for k, v in
            model.aligners['ldr'].reconstructor.state_dict().items()
        }


def test_pretrain_m_then_adapt_with_the_pretrained_m(tmp_path, monkeypatch):
    # tools/train.py allows full loading of a Runner checkpoint (M's init)
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    pre = Runner.from_cfg(_pretrain_cfg(tmp_path / 'a', tmp_path / 'pre'))
    pre.train()
    metrics = pre.message_hub.log_scalars
    for key in ('train/loss_adv', 'train/loss_fm', 'train/loss_d'):
        assert key in metrics
        assert torch.isfinite(torch.tensor(float(metrics[key].current())))
    ckpt = osp.join(str(tmp_path / 'pre'), 'iter_2.pth')
    state = torch.load(ckpt, map_location='cpu',
                       weights_only=False)['state_dict']
    assert any(k.startswith('reconstructor.') for k in state)

    cfg = _adapt_cfg(tmp_path / 'b', tmp_path / 'adapt', 2, ckpt)
    cfg.custom_hooks = [dict(type='LDRProbeHook')]
    runner = Runner.from_cfg(cfg)
    runner.train()
    for key, value in LDRProbeHook.m_weights.items():
        assert torch.equal(value, state['reconstructor.' + key]), key
    metrics = runner.message_hub.log_scalars
    for key in ('train/ldr.loss_adv_source', 'train/ldr.loss_fm_target',
                'train/ldr.loss_d_target', 'train/output_adv.loss_adv_main'):
        assert key in metrics
        assert torch.isfinite(torch.tensor(float(metrics[key].current())))
    assert 'val/mIoU' in metrics


def _final_state(work_dir, it):
    ckpt = torch.load(osp.join(str(work_dir), f'iter_{it}.pth'),
                      map_location='cpu',
                      weights_only=False)
    return ckpt['state_dict'], ckpt['optimizer']


def test_resume_equals_uninterrupted_run(tmp_path, monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    full_dir, part_dir = tmp_path / 'full', tmp_path / 'part'
    Runner.from_cfg(_adapt_cfg(tmp_path / 'a', full_dir, 4)).train()
    Runner.from_cfg(_adapt_cfg(tmp_path / 'b', part_dir, 2)).train()
    cfg = _adapt_cfg(tmp_path / 'b', part_dir, 4)
    cfg.resume = True
    Runner.from_cfg(cfg).train()

    full, full_optim = _final_state(full_dir, 4)
    part, part_optim = _final_state(part_dir, 4)
    assert full.keys() == part.keys()
    assert any(k.startswith('aligners.ldr.reconstructor.') for k in full)
    for key in full:
        assert torch.equal(full[key], part[key]), key
    assert set(full_optim) == set(part_optim) == {
        'segmentor', 'output_adv.discriminators', 'ldr.reconstructor',
        'ldr.discriminator'
    }
    for name in full_optim:
        a, b = full_optim[name]['state'], part_optim[name]['state']
        assert a.keys() == b.keys()
        for pid in a:
            for k, v in a[pid].items():
                if torch.is_tensor(v):
                    assert torch.equal(v, b[pid][k]), (name, pid, k)
