"""AdaptSegNet and ADVENT demo configs: they train with their real
discriminators, and a resumed run equals an uninterrupted one (issue 8)."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from config_fixtures import tiny_run_cfg

DEMO = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'demo')
DEMOS = ('adaptsegnet_synthetic.py', 'advent_synthetic.py')
STOP, MAX_ITERS = 2, 4


def _cfg(name, tmp_path, work_dir, max_iters):
    cfg = tiny_run_cfg(Config.fromfile(osp.join(DEMO, name)), tmp_path,
                       max_iters=MAX_ITERS)
    cfg.train_cfg.update(max_iters=max_iters, val_interval=100)
    cfg.default_hooks.checkpoint.interval = 1
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.work_dir = str(work_dir)
    return cfg


def _checkpoint(work_dir, it):
    return torch.load(osp.join(str(work_dir), f'iter_{it}.pth'),
                      map_location='cpu',
                      weights_only=False)


@pytest.mark.parametrize('name', DEMOS)
def test_resume_equals_uninterrupted_run(name, tmp_path, monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    full_runner = Runner.from_cfg(
        _cfg(name, tmp_path / 'a', tmp_path / 'full', MAX_ITERS))
    full_runner.train()
    Runner.from_cfg(_cfg(name, tmp_path / 'b', tmp_path / 'part',
                         STOP)).train()
    cfg = _cfg(name, tmp_path / 'b', tmp_path / 'part', MAX_ITERS)
    cfg.resume = True
    resumed_runner = Runner.from_cfg(cfg)
    resumed_runner.train()

    full = _checkpoint(tmp_path / 'full', MAX_ITERS)
    part = _checkpoint(tmp_path / 'part', MAX_ITERS)
    # G and both discriminators (main and aux level)
    assert any(k.startswith('aligners.output_adv.discriminators.aux')
               for k in full['state_dict'])
    assert full['state_dict'].keys() == part['state_dict'].keys()
    for key, value in full['state_dict'].items():
        assert torch.equal(value, part['state_dict'][key]), key
    assert full['optimizer'].keys() == part['optimizer'].keys() == {
        'segmentor', 'output_adv.discriminators'
    }
    for opt in full['optimizer']:
        a, b = full['optimizer'][opt]['state'], part['optimizer'][opt]['state']
        assert a.keys() == b.keys() and a
        for pid in a:
            for k, v in a[pid].items():
                if torch.is_tensor(v):
                    assert torch.equal(v, b[pid][k]), (opt, pid, k)
    assert full['param_schedulers'] == part['param_schedulers']
    # every logged loss of every iteration, the resumed half included
    full_hub = full_runner.message_hub.log_scalars
    part_hub = resumed_runner.message_hub.log_scalars
    losses = [k for k in full_hub if k.startswith('train/') and 'loss' in k]
    assert 'train/output_adv.loss_adv_main' in losses
    assert 'train/output_adv.loss_d_aux' in losses
    for key in losses:
        got, want = part_hub[key].data[0], full_hub[key].data[0]
        assert len(want) == MAX_ITERS
        assert list(got) == list(want), key
