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
