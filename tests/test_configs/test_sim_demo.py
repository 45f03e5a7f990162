"""The SIM demo config through the Runner on a tiny synthetic benchmark.

The config keeps its network, aligners (output-space D + SIM with the
classifier check, PseudoLabelCE), stage and pseudo-label hooks and
schedule; the benchmark is generated at 128x64 with a few images, the
banks are shrunk (2 per stuff, 4 per thing class) so that they fill within
a few iterations. Step-1 runs are 5 iterations (resumed after 2); the
two-step runs shorten each step to 3 iterations (resumed in step 2).
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

from mmseg.registry import HOOKS
from mmseg_uda.benchmark.synthetic_shift import generate_synthetic_shift
from mmseg_uda.utils import for_each_dict

CONFIG = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'demo',
                  'sim_synthetic.py')
SIZE = (128, 64)
BANKS = ('stuff_bank', 'stuff_ptr', 'stuff_count', 'thing_bank', 'thing_ptr',
         'thing_count')


@pytest.fixture(scope='module')
def synthetic_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic'))
    generate_synthetic_shift(root,
                             num_source=4,
                             num_target_train=4,
                             num_target_val=1,
                             source_size=SIZE,
                             target_size=SIZE,
                             show_progress=False)
    return root


@HOOKS.register_module(force=True)
class SIMProbeHook(Hook):
    """Records the SIM log values and bank counts after every iteration."""
    priority = 'LOWEST'
    records = []

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None):
        model = runner.model
        model = model.module if is_model_wrapper(model) else model
        sim = model.aligners['sim']
        type(self).records.append(
            dict(outputs={
                k: float(v)
                for k, v in outputs.items()
            },
                 stuff_count=sim.stuff_count.clone(),
                 thing_count=sim.thing_count.clone()))


def _cfg(synthetic_root, work_dir, max_iters):
    cfg = Config.fromfile(CONFIG)
    roots = dict(GTA5Dataset=osp.join(synthetic_root, 'source'),
                 CityscapesDataset=osp.join(synthetic_root, 'target'))

    def fix(node):
        if node.get('type') == 'Resize':
            node['scale'] = SIZE
        if node.get('type') in roots:
            node['data_root'] = roots[node['type']]

    for_each_dict(cfg._cfg_dict, fix)
    cfg.model.aligners.sim.update(stuff_bank_size=2, thing_bank_size=4)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False)
    cfg.train_dataloader.batch_size = 2
    cfg.train_cfg.update(max_iters=max_iters, val_interval=100)
    cfg.default_hooks.checkpoint.update(interval=1, max_keep_ckpts=-1)
    cfg.default_hooks.logger.interval = 1
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.work_dir = str(work_dir)
    cfg.visualizer.vis_backends = [dict(type='LocalVisBackend')]
    return cfg


def _checkpoint(work_dir, it):
    return torch.load(osp.join(str(work_dir), f'iter_{it}.pth'),
                      map_location='cpu',
                      weights_only=False)


ITERS, STOP = 5, 2


@pytest.fixture(scope='module')
def full_run(synthetic_root, tmp_path_factory):
    """An uninterrupted run of ITERS iterations with the probe hook."""
    work_dir = tmp_path_factory.mktemp('full')
    cfg = _cfg(synthetic_root, work_dir, ITERS)
    cfg.custom_hooks = [dict(type='SIMProbeHook')]
    SIMProbeHook.records = []
    Runner.from_cfg(cfg).train()
    return SIMProbeHook.records, work_dir


def test_sim_demo_fills_the_banks_and_matches(full_run):
    rec, work_dir = full_run
    assert len(rec) == ITERS
    stored = [r['outputs']['sim.stored'] for r in rec]
    counts = [
        int(r['stuff_count'].sum() + r['thing_count'].sum()) for r in rec
    ]
    # accepted source samples land in the banks, which only fill up
    assert sum(stored) > 0 and counts[-1] > 0
    assert counts == sorted(counts)
    full = [r['outputs']['sim.full_banks'] for r in rec]
    assert full[-1] > 0
    # once banks are full the matching losses are active
    assert any(r['outputs']['sim.loss_stuff'] > 0
               or r['outputs']['sim.loss_instance'] > 0 for r in rec)
    # the banks are part of the checkpoint
    state = _checkpoint(work_dir, ITERS)['state_dict']
    for name in BANKS:
        assert f'aligners.sim.{name}' in state
    assert torch.equal(state['aligners.sim.stuff_count'],
                       rec[-1]['stuff_count'])


def test_resume_equals_uninterrupted_run_weights_and_banks(
        full_run, synthetic_root, tmp_path, monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    _, full_dir = full_run
    part_dir = tmp_path / 'part'
    Runner.from_cfg(_cfg(synthetic_root, part_dir, STOP)).train()
    cfg = _cfg(synthetic_root, part_dir, ITERS)
    cfg.resume = True
    Runner.from_cfg(cfg).train()

    full = _checkpoint(full_dir, ITERS)
    part = _checkpoint(part_dir, ITERS)
    assert full['state_dict'].keys() == part['state_dict'].keys()
    for key, value in full['state_dict'].items():
        assert torch.equal(value, part['state_dict'][key]), key
    # the banks were non-empty at the interruption and changed after it
    mid = _checkpoint(part_dir, STOP)['state_dict']
    assert mid['aligners.sim.stuff_count'].sum() + \
        mid['aligners.sim.thing_count'].sum() > 0
    end = full['state_dict']
    assert any(not torch.equal(mid[f'aligners.sim.{name}'],
                               end[f'aligners.sim.{name}'])
               for name in ('stuff_bank', 'thing_bank'))
    for name in full['optimizer']:
        a, b = full['optimizer'][name]['state'], part['optimizer'][name][
            'state']
        for pid in a:
            for k, v in a[pid].items():
                if torch.is_tensor(v):
                    assert torch.equal(v, b[pid][k]), (name, pid, k)


# ----------------------------------------------------------------------
# The whole method: step 1, pseudo labels, step 2 from the initial weights.
STEP = 3


def _model(runner):
    model = runner.model
    return model.module if is_model_wrapper(model) else model


@HOOKS.register_module(force=True)
class SIMStepsProbeHook(Hook):
    """Records, around every iteration, the stage, the lambdas, whether
    the target batch carries labels, the banks, G and the losses."""
    priority = 'LOWEST'  # after PseudoLabelHook's re-initialisation
    records = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        model = _model(runner)
        sim = model.aligners['sim']
        target = data_batch['target']['data_samples']
        type(self).records.append(
            dict(iter=runner.iter,
                 stage=runner.message_hub.get_info('uda_stage'),
                 lambdas=(sim.lambda_stuff, sim.lambda_instance),
                 pseudo_ce=model.aligners['pseudo_ce'].active,
                 target=[(s.metainfo.get('seg_map_path'),
                          s.gt_sem_seg.data.clone() if 'gt_sem_seg' in s
                          else None) for s in target],
                 banks_before={
                     name: getattr(sim, name).clone()
                     for name in BANKS
                 },
                 g=torch.cat([
                     p.detach().flatten()
                     for p in model.segmentor.parameters()
                 ]).clone()))

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None):
        sim = _model(runner).aligners['sim']
        type(self).records[-1].update(
            outputs={k: float(v)
                     for k, v in outputs.items()},
            filled=int(sim.stuff_count.sum() + sim.thing_count.sum()))


def _two_step_cfg(synthetic_root, work_dir, max_iters=2 * STEP):
    cfg = _cfg(synthetic_root, work_dir, max_iters)
    for stage in cfg.custom_hooks[0].stages:
        stage.iters = STEP
    for group in cfg.param_scheduler.values():
        group[0].end = STEP
    # the boundary checkpoint (step-1 model) and the last one (save_last)
    cfg.default_hooks.checkpoint.update(interval=STEP, max_keep_ckpts=-1)
    return cfg


@pytest.fixture(scope='module')
def two_step_run(synthetic_root, tmp_path_factory):
    """An uninterrupted run of both steps with the probe hook."""
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    mp = pytest.MonkeyPatch()
    mp.setenv(ENV_FLAG, '1')
    work_dir = tmp_path_factory.mktemp('two_step')
    cfg = _two_step_cfg(synthetic_root, work_dir)
    cfg.custom_hooks.append(dict(type='SIMStepsProbeHook'))
    SIMStepsProbeHook.records = []
    Runner.from_cfg(cfg).train()
    yield SIMStepsProbeHook.records, work_dir
    mp.undo()


def test_sim_demo_runs_both_steps_across_the_pseudo_label_boundary(
        two_step_run):
    rec, work_dir = two_step_run
    step1, step2 = rec[:STEP], rec[STEP:]
    assert [r['stage'] for r in rec] == ['sim'] * STEP + ['sim_ssl'] * STEP

    # labels of every target train image by the step-1 model
    out = osp.join(str(work_dir), 'pseudo_labels')
    with open(osp.join(out, 'pseudo_labels.json')) as f:
        summary = json.load(f)
    assert summary['status'] == 'complete' and summary['num_images'] == 4
    assert summary['model']['iteration'] == STEP
    assert sum(summary['labelled_pixels']) > 0

    for r in step1:
        assert r['lambdas'] == (0.01, 0.01) and not r['pseudo_ce']
        assert all(label is None for _, label in r['target'])
        assert not any('pseudo' in k for k in r['outputs'])
    for r in step2:
        assert r['lambdas'] == (0.001, 0.001) and r['pseudo_ce']
        assert 'pseudo_ce.loss_pseudo_main' in r['outputs']
        assert r['outputs']['pseudo_ce.loss_pseudo_main'] > 0
        # the target batch carries the written labels
        for path, label in r['target']:
            assert osp.dirname(osp.dirname(path)) == osp.abspath(out)
            written = cv2.imread(path, cv2.IMREAD_UNCHANGED)
            assert written.dtype == np.uint8
            np.testing.assert_array_equal(label[0].numpy(), written)

    # banks: filled in step 1, empty right after the boundary (reinit),
    # filled again by the restarted G
    assert step1[-1]['filled'] > 0
    empty = step2[0]['banks_before']
    for name in BANKS:
        assert not empty[name].any(), name
    assert step2[-1]['filled'] > 0
    assert sum(r['outputs']['sim.stored'] for r in step2) > 0
    # G restarted from its initial weights, then trained again
    assert not torch.equal(step1[0]['g'], step1[-1]['g'])
    assert torch.equal(step2[0]['g'], step1[0]['g'])
    assert not torch.equal(step2[0]['g'], step2[-1]['g'])


def test_two_step_resume_in_step_2_equals_uninterrupted_run(
        two_step_run, synthetic_root, tmp_path, monkeypatch):
    from mmseg_uda.engine.hooks import pseudo_label_hook
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    _, full_dir = two_step_run
    part_dir = tmp_path / 'part'
    Runner.from_cfg(_two_step_cfg(synthetic_root, part_dir,
                                  STEP + 1)).train()

    def no_generation(*args, **kwargs):
        raise AssertionError('regenerated pseudo labels after the boundary')

    monkeypatch.setattr(pseudo_label_hook.PseudoLabelGenerator, 'run',
                        no_generation)
    cfg = _two_step_cfg(synthetic_root, part_dir)
    cfg.resume = True
    Runner.from_cfg(cfg).train()

    full = _checkpoint(full_dir, 2 * STEP)
    part = _checkpoint(part_dir, 2 * STEP)
    assert full['state_dict'].keys() == part['state_dict'].keys()
    for key, value in full['state_dict'].items():
        assert torch.equal(value, part['state_dict'][key]), key
    # the banks are compared too: step-2 samples at the interruption,
    # more of them at the end
    mid = _checkpoint(part_dir, STEP + 1)['state_dict']
    end = full['state_dict']
    assert mid['aligners.sim.stuff_count'].sum() + \
        mid['aligners.sim.thing_count'].sum() > 0
    assert any(not torch.equal(mid[f'aligners.sim.{name}'],
                               end[f'aligners.sim.{name}'])
               for name in BANKS)
    for name in full['optimizer']:
        a, b = full['optimizer'][name]['state'], part['optimizer'][name][
            'state']
        assert a.keys() == b.keys()
        for pid in a:
            for k, v in a[pid].items():
                if torch.is_tensor(v):
                    assert torch.equal(v, b[pid][k]), (name, pid, k)
