"""NonFiniteLossHook (stop / skip) and AtomicCheckpointHook in Runner runs."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.fileio.backends import LocalBackend
from mmengine.runner import Runner

from mmseg.registry import MODELS
from test_uda_training import runner_cfg
from uda_toys import ToyEngineAligner, model_cfg


@MODELS.register_module(force=True)
class NaNAtAligner(ToyEngineAligner):
    """The toy adversarial term whose G loss is NaN in chosen iterations."""

    def __init__(self, nan_from=3, nan_until=3, **kwargs):
        super().__init__(**kwargs)
        self.nan_from, self.nan_until = nan_from, nan_until
        self.calls = 0

    def generator_loss(self, source, target):
        self.calls += 1
        losses = super().generator_loss(source, target)
        if self.nan_from <= self.calls <= self.nan_until:
            losses['loss_adv'] = losses['loss_adv'] * float('nan')
        return losses


def _cfg(tmp_path, hook, max_iters=4, **nan):
    cfg = runner_cfg(tmp_path, tmp_path / 'work', max_iters)
    cfg.model = model_cfg(dict(adv=dict(type='NaNAtAligner', **nan)))
    cfg.custom_hooks = [hook]
    for schedulers in cfg.param_scheduler.values():
        schedulers[0].end = 100  # keep the lr > 0 in every iteration
    cfg.default_hooks.checkpoint = dict(type='AtomicCheckpointHook',
                                        by_epoch=False,
                                        interval=1)
    return cfg


def _state(tmp_path, it):
    return torch.load(str(tmp_path / 'work' / f'iter_{it}.pth'),
                      map_location='cpu',
                      weights_only=False)


def test_stop_keeps_the_last_good_checkpoint(tmp_path):
    runner = Runner.from_cfg(
        _cfg(tmp_path, dict(type='NonFiniteLossHook'), nan_from=3))
    with pytest.raises(RuntimeError, match=r'iteration 3.*adv\.loss_adv') \
            as err:
        runner.train()
    assert 'iter_2.pth' in str(err.value)
    work = tmp_path / 'work'
    assert osp.isfile(work / 'iter_2.pth')
    assert not osp.exists(work / 'iter_3.pth')
    assert (work / 'last_checkpoint').read_text().endswith('iter_2.pth')
    for value in _state(tmp_path, 2)['state_dict'].values():
        assert torch.isfinite(value.float()).all()


def test_skip_drops_the_step_of_every_network(tmp_path):
    runner = Runner.from_cfg(
        _cfg(tmp_path, dict(type='NonFiniteLossHook', action='skip'),
             nan_from=3, nan_until=3))
    runner.train()
    assert runner.iter == 4
    before, after = _state(tmp_path, 2), _state(tmp_path, 3)
    # G and D unchanged by the skipped iteration 3, buffers included (the
    # forward had moved G's BN statistics)...
    assert any('running_mean' in k for k in before['state_dict'])
    for key, value in before['state_dict'].items():
        assert torch.equal(value, after['state_dict'][key]), key
    # ... and changed again by iteration 4
    last = _state(tmp_path, 4)['state_dict']
    key = 'aligners.adv.discriminator.weight'
    assert not torch.equal(last[key], after['state_dict'][key])
    assert torch.isfinite(last[key]).all()
    hist = runner.message_hub.get_scalar('train/skipped_non_finite')
    assert list(hist.data[0]) == [1.0]


def test_skip_stops_after_consecutive_skips(tmp_path):
    hook = dict(type='NonFiniteLossHook', action='skip',
                max_consecutive_skips=2)
    runner = Runner.from_cfg(
        _cfg(tmp_path, hook, max_iters=6, nan_from=2, nan_until=99))
    with pytest.raises(RuntimeError, match='2 steps in a row'):
        runner.train()
    assert runner.iter == 2  # iterations 2 and 3 skipped, then stop


def test_bad_hook_arguments():
    from mmseg_uda.engine.hooks import NonFiniteLossHook
    with pytest.raises(ValueError, match='action'):
        NonFiniteLossHook(action='ignore')
    with pytest.raises(ValueError, match='max_consecutive_skips'):
        NonFiniteLossHook(action='skip', max_consecutive_skips=0)


@pytest.mark.parametrize('hook_type', ['CheckpointHook',
                                       'AtomicCheckpointHook'])
def test_interrupted_save_leaves_no_partial_checkpoint(
        tmp_path, monkeypatch, hook_type):
    cfg = _cfg(tmp_path, dict(type='NonFiniteLossHook'), nan_from=99)
    cfg.default_hooks.checkpoint.type = hook_type
    put = LocalBackend.put
    calls = []

    def crash_on_second(self, obj, filepath):
        calls.append(filepath)
        if len(calls) == 2:  # the save of iteration 2 dies half-way
            with open(filepath, 'wb') as f:
                f.write(obj[:len(obj) // 2])
            raise KeyboardInterrupt('killed during the save')
        return put(self, obj, filepath)

    monkeypatch.setattr(LocalBackend, 'put', crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        Runner.from_cfg(cfg).train()
    work = tmp_path / 'work'
    if hook_type == 'CheckpointHook':
        # MMEngine's own hook leaves a truncated file under the real name
        assert osp.getsize(work / 'iter_2.pth') < osp.getsize(
            work / 'iter_1.pth')
        return
    assert not osp.exists(work / 'iter_2.pth')
    assert glob.glob(str(work / '.*tmp')) == []
    assert 'state_dict' in _state(tmp_path, 1)


def test_save_best_is_flagged_as_an_oracle_choice(tmp_path):
    from unittest.mock import patch
    for save_best, logged in ((None, False), ('mIoU', True)):
        cfg = _cfg(tmp_path, dict(type='NonFiniteLossHook'))
        cfg.default_hooks.checkpoint.save_best = save_best
        runner = Runner.from_cfg(cfg)
        hook = [h for h in runner.hooks
                if type(h).__name__ == 'AtomicCheckpointHook'][0]
        with patch.object(runner.logger, 'log') as log:
            hook.before_train(runner)
        texts = [c.args[1] for c in log.call_args_list]
        assert any('ORACLE' in t for t in texts) is logged, texts
