"""The global-local demo config through both stages with the real aligners.

Stages are shortened to two iterations each; a probe hook records, after
every iteration, the stage, theta and a fingerprint of each discriminator,
which shows which networks each stage trains.
"""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from config_fixtures import tiny_run_cfg
from mmseg.registry import HOOKS

CONFIG = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'demo',
                  'globallocal_synthetic.py')


@HOOKS.register_module(force=True)
class StageProbeHook(Hook):
    """Records stage, theta and discriminator weights after each iter."""
    priority = 'LOWEST'
    records = []
    lrs = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        # the lr each iteration trains with (after any stage restart)
        type(self).lrs.append({
            k: w.param_groups[0]['lr']
            for k, w in runner.optim_wrapper.items()
        })

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        model = runner.model
        model = model.module if is_model_wrapper(model) else model
        fingerprint = {
            name: torch.cat([
                p.detach().flatten()
                for p in model.aligners[name].parameters()
            ]).clone()
            for name in ('output_adv', 'local_adv')
        }
        type(self).records.append(
            dict(stage=runner.message_hub.get_info('uda_stage'),
                 theta=model.aligners['local_adv'].theta,
                 active={n: a.active
                         for n, a in model.aligners.items()},
                 weights=fingerprint))


def test_globallocal_demo_crosses_the_stage_boundaries(tmp_path):
    cfg = tiny_run_cfg(Config.fromfile(CONFIG), tmp_path, max_iters=6)
    # Mixing needs a source and target batch of the same size.
    cfg.train_dataloader.batch_size = 2
    stages = cfg.custom_hooks[0].stages
    for stage in stages:
        stage.iters = 2
    cfg.custom_hooks.append(dict(type='StageProbeHook'))
    StageProbeHook.records = []
    StageProbeHook.lrs = []

    Runner.from_cfg(cfg).train()

    rec = StageProbeHook.records
    assert [r['stage'] for r in rec] == ['global'] * 2 + ['local_mix'] * 2 \
        + ['local'] * 2
    assert [r['theta'] for r in rec[2:]] == [0.6, 0.6, 1.0, 1.0]
    assert rec[0]['active'] == dict(output_adv=True, local_adv=False)
    assert rec[2]['active'] == dict(output_adv=False, local_adv=True)

    def changed(name, i):
        before = rec[i - 1]['weights'][name]
        return not torch.equal(before, rec[i]['weights'][name])

    # Stage 1 trains the global D only; stages 2-3 the local D only.
    assert changed('output_adv', 1) and not changed('local_adv', 1)
    for i in range(2, 6):
        assert changed('local_adv', i) and not changed('output_adv', i)

    # Stage 2 is a new run from the global model (paper, Sec. 3): G and the
    # pixel D start at their base lr (demo: SGD 0.01, Adam 1e-4), and decay
    # on the stage's own poly curve (end=400 here: barely after 4 steps).
    lrs = StageProbeHook.lrs
    base = dict(segmentor=0.01, **{'local_adv.discriminator': 1e-4})
    for key, lr in base.items():
        assert lrs[0][key] == lr
        assert lrs[1][key] < lr
        assert lrs[2][key] == lr, (key, lrs[2])
        assert lr > lrs[3][key] > lrs[4][key] > lrs[5][key] > 0.9 * lr


def _gl_cfg(tmp_path, work_dir, max_iters):
    cfg = tiny_run_cfg(Config.fromfile(CONFIG), tmp_path, max_iters=6)
    cfg.train_dataloader.batch_size = 2
    for stage in cfg.custom_hooks[0].stages:
        stage.iters = 2
    cfg.train_cfg.update(max_iters=max_iters, val_interval=100)
    cfg.default_hooks.checkpoint.interval = 1
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.work_dir = str(work_dir)
    return cfg


def _final_state(work_dir, it):
    ckpt = torch.load(osp.join(str(work_dir), f'iter_{it}.pth'),
                      map_location='cpu',
                      weights_only=False)
    return ckpt['state_dict'], ckpt['optimizer']


def test_resume_at_and_inside_stage_two_equals_uninterrupted_run(
        tmp_path, monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    full_dir = tmp_path / 'full'
    Runner.from_cfg(_gl_cfg(tmp_path / 'a', full_dir, 6)).train()
    full, full_optim = _final_state(full_dir, 6)
    # Stop exactly at the global -> local boundary (iteration 2), and at
    # iteration 3, inside stage 2 (mixture with theta 0.6, which draws
    # random alphas and crops); resume each to 6.
    for stop in (2, 3):
        part_dir = tmp_path / f'part{stop}'
        Runner.from_cfg(_gl_cfg(tmp_path / 'b', part_dir, stop)).train()
        cfg = _gl_cfg(tmp_path / 'b', part_dir, 6)
        cfg.resume = True
        Runner.from_cfg(cfg).train()

        part, part_optim = _final_state(part_dir, 6)
        assert full.keys() == part.keys()
        for key in full:
            assert torch.equal(full[key], part[key]), (stop, key)
        assert full_optim.keys() == part_optim.keys()
        for name in full_optim:
            a = full_optim[name]['state']
            b = part_optim[name]['state']
            for pid in a:
                for k, v in a[pid].items():
                    if torch.is_tensor(v):
                        assert torch.equal(v, b[pid][k]), (stop, name,
                                                           pid, k)
