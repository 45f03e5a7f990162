"""The SIM demo config through the Runner on a tiny synthetic benchmark.

The config keeps its network, aligners (output-space D + SIM with the
classifier check) and schedule; the benchmark is generated at 128x64 with
a few images, the banks are shrunk (2 per stuff, 4 per thing class) so
that they fill within a few iterations, and the runs are 5 iterations
(resumed after 2).
"""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from config_fixtures import _walk
from mmseg.registry import HOOKS
from mmseg_uda.datasets.synthetic_shift import generate_synthetic_shift

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

    _walk(cfg._cfg_dict, fix)
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
