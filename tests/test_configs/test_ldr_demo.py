"""The LDR demo pipeline (M pretraining, then adaptation) on tiny data.

The configs keep their networks (ResNet generator M, multi-scale PatchGAN
D_k), aligners, stage and pseudo-label hooks and schedules; images are
resized to 128x64 (the smallest size at which the 1/4-scale PatchGAN still
has an output) and the runs are a few iterations long (the two-step runs:
2 iterations per step, resumed in step 2).
"""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from config_fixtures import tiny_run_cfg
from fake_datasets import make_gta5
from mmseg.registry import HOOKS
from mmseg_uda.utils import for_each_dict

ROOT = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'demo')
PRETRAIN = osp.join(ROOT, 'ldr_pretrain_m_synthetic.py')
ADAPT = osp.join(ROOT, 'ldr_synthetic.py')
SCALE = (128, 64)


def _rescale(cfg):
    def fix(node):
        if node.get('type') == 'Resize':
            node['scale'] = SCALE
    for_each_dict(cfg._cfg_dict, fix)


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


# ----------------------------------------------------------------------
# Both steps: Eq. (6) without, then with the pseudo-label term.
STEP = 2


def _model(runner):
    model = runner.model
    return model.module if is_model_wrapper(model) else model


def _flat(module):
    return torch.cat([p.detach().flatten()
                      for p in module.parameters()]).clone()


@HOOKS.register_module(force=True)
class LDRStepsProbeHook(Hook):
    """Records the stage, the target labels, G, M and the losses."""
    priority = 'LOWEST'  # after PseudoLabelHook's re-initialisation
    records = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        model = _model(runner)
        type(self).records.append(
            dict(stage=runner.message_hub.get_info('uda_stage'),
                 pseudo_ce=model.aligners['pseudo_ce'].active,
                 target=[(s.metainfo.get('seg_map_path'),
                          s.gt_sem_seg.data.clone() if 'gt_sem_seg' in s
                          else None)
                         for s in data_batch['target']['data_samples']],
                 g=_flat(model.segmentor),
                 m=_flat(model.aligners['ldr'].reconstructor)))

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        type(self).records[-1]['outputs'] = {
            k: float(v)
            for k, v in outputs.items()
        }


def _two_step_cfg(tmp_path, work_dir, max_iters=2 * STEP):
    cfg = _adapt_cfg(tmp_path, work_dir, max_iters)
    for stage in cfg.custom_hooks[0].stages:
        stage.iters = STEP
    for group in cfg.param_scheduler.values():
        group[0].end = STEP
    # the boundary checkpoint (step-1 model) and the last one (save_last)
    cfg.default_hooks.checkpoint.update(interval=STEP, max_keep_ckpts=-1)
    return cfg


@pytest.fixture(scope='module')
def two_step_run(tmp_path_factory):
    """An uninterrupted run of both steps with the probe hook."""
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    mp = pytest.MonkeyPatch()
    mp.setenv(ENV_FLAG, '1')
    tmp = tmp_path_factory.mktemp('two_step')
    cfg = _two_step_cfg(tmp / 'data', tmp / 'work')
    cfg.custom_hooks.append(dict(type='LDRStepsProbeHook'))
    LDRStepsProbeHook.records = []
    runner = Runner.from_cfg(cfg)
    runner.train()
    yield LDRStepsProbeHook.records, tmp / 'work', runner
    mp.undo()


def test_ldr_demo_adds_the_pseudo_label_term_in_step_2(two_step_run):
    rec, work_dir, _ = two_step_run
    step1, step2 = rec[:STEP], rec[STEP:]
    assert [r['stage'] for r in rec] == \
        ['adapt'] * STEP + ['self_training'] * STEP
    # labels of the (translated) target train images by the step-1 model
    out = osp.join(str(work_dir), 'pseudo_labels')
    with open(osp.join(out, 'pseudo_labels.json')) as f:
        summary = json.load(f)
    assert summary['status'] == 'complete' and summary['num_images'] == 1
    assert summary['model']['iteration'] == STEP

    ldr_losses = ('ldr.loss_adv_source', 'ldr.loss_fm_target',
                  'output_adv.loss_adv_main')
    for r in step1:
        assert not r['pseudo_ce']
        assert all(label is None for _, label in r['target'])
        assert not any('pseudo' in k for k in r['outputs'])
        assert all(k in r['outputs'] for k in ldr_losses)
    for r in step2:
        assert r['pseudo_ce']
        assert r['outputs']['pseudo_ce.loss_pseudo_main'] > 0
        assert all(k in r['outputs'] for k in ldr_losses)
        for path, label in r['target']:
            assert osp.dirname(osp.dirname(path)) == osp.abspath(out)
            written = cv2.imread(path, cv2.IMREAD_UNCHANGED)
            assert written.dtype == np.uint8
            np.testing.assert_array_equal(label[0].numpy(), written)
    # G and the jointly trained M restart from their initial weights
    for net in ('g', 'm'):
        assert not torch.equal(step1[0][net], step1[-1][net]), net
        assert torch.equal(step2[0][net], step1[0][net]), net
        assert not torch.equal(step2[0][net], step2[-1][net]), net


def test_resume_in_step_2_equals_uninterrupted_run(
        two_step_run, tmp_path, monkeypatch):
    from mmseg_uda.engine.hooks import pseudo_label_hook
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    _, full_dir, _ = two_step_run
    part_dir = tmp_path / 'part'
    Runner.from_cfg(_two_step_cfg(tmp_path / 'b', part_dir,
                                  STEP + 1)).train()

    def no_generation(*args, **kwargs):
        raise AssertionError('regenerated pseudo labels after the boundary')

    monkeypatch.setattr(pseudo_label_hook.PseudoLabelGenerator, 'run',
                        no_generation)
    cfg = _two_step_cfg(tmp_path / 'b', part_dir)
    cfg.resume = True
    Runner.from_cfg(cfg).train()

    full, full_optim = _final_state(full_dir, 2 * STEP)
    part, part_optim = _final_state(part_dir, 2 * STEP)
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
