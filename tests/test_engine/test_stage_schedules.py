"""Stage schedules through MMEngine's Runner: a stage that restarts the
optimisation starts at the base lr with empty optimizer states, a stage's
own schedulers count from its first iteration, and a run resumed at or
inside such a stage ends exactly as an uninterrupted one."""
import pytest
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
from test_uda_training import G_LR, D_LR, POWER, runner_cfg

HORIZON = 10  # PolyLR end of the config's schedulers
MAX_ITERS = 8
# one: it 0-1 | two: it 2-4, everything restarted | three: it 5-7, G on
# its own warm-up + linear decay, D continuing stage two's poly curve
STAGES = [
    dict(name='one', iters=2, aligners=dict(adv=dict(active=True))),
    dict(name='two', iters=3, restart=True),
    dict(name='three',
         iters=3,
         param_scheduler=dict(segmentor=[
             dict(type='LinearLR',
                  start_factor=0.5,
                  end_factor=1.0,
                  begin=0,
                  end=2,
                  by_epoch=False),
             dict(type='PolyLR',
                  power=1.0,
                  eta_min=0.0,
                  begin=2,
                  end=4,
                  by_epoch=False),
         ])),
]


def poly(base, it):
    """Closed form of MMEngine's PolyLR(begin=0, end=HORIZON) at step it."""
    return base * (1 - it / (HORIZON - 1))**POWER


class OptimizerStateProbe(Hook):
    """Records, before each iteration, whether G's SGD has momentum."""

    def __init__(self):
        self.has_state = {}

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        # after UDAStageHook (HIGHEST priority) has restarted
        state = runner.optim_wrapper['segmentor'].optimizer.state
        self.has_state[runner.iter] = len(state) > 0


def cfg(tmp_path, work_dir, max_iters, **kwargs):
    c = runner_cfg(tmp_path, work_dir, max_iters, **kwargs)
    c.train_cfg.max_iters = max_iters
    c.train_cfg.val_interval = MAX_ITERS
    for schedulers in c.param_scheduler.values():
        schedulers[0]['end'] = HORIZON
    c.custom_hooks = [
        dict(type='UDAStageHook', stages=STAGES),
        dict(type='RNGStateHook'),
    ]
    return c


def lrs(runner, key):
    return list(runner.message_hub.log_scalars[f'train/{key}.lr'].data[0])


def test_stage_restart_and_own_schedulers(tmp_path):
    runner = Runner.from_cfg(cfg(tmp_path, tmp_path / 'work', MAX_ITERS))
    probe = OptimizerStateProbe()
    runner.register_hook(probe, 'LOW')
    runner.train()

    g, d = lrs(runner, 'segmentor'), lrs(runner, 'adv.discriminator')
    expected_g = [poly(G_LR, it) for it in (0, 1)] + \
        [poly(G_LR, it) for it in (0, 1, 2)] + \
        [0.5 * G_LR, G_LR, G_LR]
    expected_d = [poly(D_LR, it) for it in (0, 1, 0, 1, 2, 3, 4, 5)]
    assert g == pytest.approx(expected_g, rel=1e-9)
    assert d == pytest.approx(expected_d, rel=1e-9)
    # the first stage-two iteration runs at the base lr, heads at 10x
    # (in this loop the lr logged for iteration 2 is its training lr)
    assert g[2] == G_LR and d[2] == D_LR
    # momentum buffers exist from iteration 1 on, and are gone at the
    # stage-two restart
    assert probe.has_state == {
        0: False, 1: True, 2: False, 3: True, 4: True, 5: False, 6: True,
        7: True
    }
    # stage three kept its own two schedulers for G
    kinds = [type(s).__name__ for s in runner.param_schedulers['segmentor']]
    assert kinds == ['LinearLR', 'PolyLR']
    ckpt = torch.load(tmp_path / 'work' / f'iter_{MAX_ITERS}.pth',
                      weights_only=False)
    assert len(ckpt['param_schedulers']['segmentor']) == 2


@pytest.mark.parametrize('resume_at', [2, 4, 6])
def test_resume_at_or_inside_a_restarted_stage_is_exact(
        tmp_path, monkeypatch, resume_at):
    # 2: checkpoint at the stage-two boundary (restart still to come);
    # 4: inside stage two; 6: inside stage three (its own schedulers)
    monkeypatch.setenv(ENV_FLAG, '1')
    full = Runner.from_cfg(cfg(tmp_path, tmp_path / 'full', MAX_ITERS))
    full.train()
    Runner.from_cfg(cfg(tmp_path, tmp_path / 'part', resume_at)).train()
    resumed = Runner.from_cfg(
        cfg(tmp_path,
            tmp_path / 'part',
            MAX_ITERS,
            resume=True,
            load_from=str(tmp_path / 'part' / f'iter_{resume_at}.pth')))
    resumed.train()

    full_state = full.model.state_dict()
    resumed_state = resumed.model.state_dict()
    for key, value in full_state.items():
        assert torch.equal(resumed_state[key], value), key
    for key in ('segmentor', 'adv.discriminator'):
        assert resumed.optim_wrapper[key].get_lr() == \
            full.optim_wrapper[key].get_lr()
        assert [type(s) for s in resumed.param_schedulers[key]] == \
            [type(s) for s in full.param_schedulers[key]]
        for a, b in zip(resumed.param_schedulers[key],
                        full.param_schedulers[key]):
            assert a.last_step == b.last_step
    assert lrs(resumed, 'segmentor')[-(MAX_ITERS - resume_at):] == \
        lrs(full, 'segmentor')[-(MAX_ITERS - resume_at):]
