"""UDAStageHook: stage of an iteration, carry-over, resume, validation."""
import logging
from unittest.mock import Mock, patch

import pytest
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapper, OptimWrapperDict
from torch import nn
from torch.optim import SGD

from mmseg.registry import HOOKS
from mmseg_uda.engine.hooks import UDAStageHook
from uda_toys import ToyEngineAligner

STAGES = [
    dict(name='global',
         iters=3,
         aligners=dict(a=dict(active=True), b=dict(active=False))),
    dict(name='local',
         iters=4,
         aligners=dict(a=dict(active=False), b=dict(active=True, weight=0.5))),
    # Mentions neither `active` nor aligner a: both carry over.
    dict(name='local2', iters=2, aligners=dict(b=dict(weight=0.9))),
]


def expected_state(it):
    """(stage, a.active, b.active, b.weight) written out from STAGES."""
    if it < 3:
        return ('global', True, False, 0.1)
    if it < 7:
        return ('local', False, True, 0.5)
    return ('local2', False, True, 0.9)  # also past the schedule's end


class Holder(nn.Module):

    def __init__(self):
        super().__init__()
        # Config state before any stage: a off, b on (weight 0.1).
        self.aligners = nn.ModuleDict(
            dict(a=ToyEngineAligner(num_classes=2, active=False),
                 b=ToyEngineAligner(num_classes=2)))


def make_runner(it=0, max_iters=12, name='stage'):
    runner = Mock()
    runner.model = Holder()
    runner.iter = it
    runner.max_iters = max_iters
    runner.message_hub = MessageHub.get_instance(f'{name}_{id(runner)}')
    return runner


def state(runner):
    al = runner.model.aligners
    return (runner.message_hub.get_info('uda_stage'), al['a'].active,
            al['b'].active, al['b'].weight)


def run(hook, runner, start, stop):
    runner.iter = start
    hook.before_train(runner)
    states = {}
    for it in range(start, stop):
        runner.iter = it
        hook.before_train_iter(runner, batch_idx=it)
        states[it] = state(runner)
    return states


def test_registered():
    hook = HOOKS.build(dict(type='UDAStageHook', stages=STAGES))
    assert isinstance(hook, UDAStageHook)
    assert hook.ends == [3, 7, 9]


def test_stage_index_of_iterations():
    hook = UDAStageHook(STAGES)
    got = [hook.stage_index(i) for i in range(12)]
    assert got == [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2]


def test_switches_at_stage_boundaries():
    hook = UDAStageHook(STAGES)
    runner = make_runner()
    states = run(hook, runner, 0, 12)
    assert states == {it: expected_state(it) for it in range(12)}
    assert runner.message_hub.get_info('uda_stage_index') == 2
    # One log line per stage entered (before_train + two switches).
    assert runner.logger.info.call_count == 3
    assert "'local'" in runner.logger.info.call_args_list[1].args[0]


@pytest.mark.parametrize('resume_at', [5, 8])
def test_resume_gets_uninterrupted_state(resume_at):
    uninterrupted = run(UDAStageHook(STAGES), make_runner(), 0, 12)
    # A fresh model (config state) and hook, as after a restart.
    resumed = run(UDAStageHook(STAGES), make_runner(), resume_at, 12)
    assert resumed == {it: uninterrupted[it] for it in range(resume_at, 12)}


def test_validation_errors():
    runner = make_runner()
    hook = UDAStageHook([dict(name='s', iters=20, aligners=dict(c={}))])
    with pytest.raises(KeyError, match=r"aligner 'c'.*\['a', 'b'\]"):
        hook.before_train(runner)
    hook = UDAStageHook(
        [dict(name='s', iters=20, aligners=dict(a=dict(thetta=0.5)))])
    with pytest.raises(AttributeError, match='thetta'):
        hook.before_train(runner)
    runner.model = nn.Linear(1, 1)
    with pytest.raises(TypeError, match='UDASegmentor'):
        UDAStageHook(STAGES).before_train(runner)


def test_restart_needs_known_dict_optimizer_keys():
    runner = make_runner()
    runner.optim_wrapper = OptimWrapperDict(
        segmentor=OptimWrapper(SGD(nn.Linear(1, 1).parameters(), lr=0.1)))
    runner.param_schedulers = dict(segmentor=[])
    hook = UDAStageHook([dict(name='s', iters=2, restart=['adv.d'])])
    with pytest.raises(KeyError, match=r"\['adv.d'\].*\['segmentor'\]"):
        hook.before_train(runner)
    runner.param_schedulers = []
    hook = UDAStageHook([dict(name='s', iters=2, restart=True)])
    with pytest.raises(TypeError, match='dict `optim_wrapper`'):
        hook.before_train(runner)


def test_short_schedule_warns_and_last_stage_runs_on():
    runner = make_runner(max_iters=20)
    with patch('mmseg_uda.engine.hooks.uda_stage_hook.print_log') as log:
        UDAStageHook(STAGES).before_train(runner)
    assert log.call_args.kwargs['level'] == logging.WARNING
    assert "'local2' runs to the end" in log.call_args.args[0]
    runner = make_runner(max_iters=9)
    with patch('mmseg_uda.engine.hooks.uda_stage_hook.print_log') as log:
        UDAStageHook(STAGES).before_train(runner)
    log.assert_not_called()


@pytest.mark.parametrize('stages, pattern', [
    ([], 'non-empty'),
    ([dict(name='s', iters=0)], 'positive integer'),
    ([dict(name='s', iters=True)], 'positive integer'),
    ([dict(iters=2)], 'name'),
    ([dict(name='s', iters=2),
      dict(name='s', iters=2)], 'twice'),
    ([dict(name='s', iters=2, regenerate=True)], 'unknown keys'),
    ([dict(name='s', iters=2, aligners=dict(a=dict(active=1)))
      ], 'True or False'),
    ([dict(name='s', iters=2, aligners=dict(a=True))], 'must be a dict'),
    ([dict(name='s', iters=2, restart='segmentor')], 'list of optimizer'),
    ([dict(name='s', iters=2, restart=[1])], 'optimizer keys'),
    ([dict(name='s', iters=2, param_scheduler=[dict(type='PolyLR')])
      ], 'param_scheduler'),
    ([dict(name='s', iters=2,
           param_scheduler=dict(segmentor=[dict(type='PolyLR')]))
      ], 'by_epoch=False'),
])
def test_bad_stage_configs(stages, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        UDAStageHook(stages)


def test_switched_off_aligner_stops_being_logged():
    """Its last losses would otherwise be printed unchanged every interval."""
    hook = UDAStageHook(STAGES)
    runner = make_runner(name='logs')
    hub = runner.message_hub
    hook.before_train(runner)
    for it in range(3):  # stage 'global': aligner a trains
        runner.iter = it
        hook.before_train_iter(runner, batch_idx=it)
        hub.update_scalars({'train/a.loss_d': 0.5, 'train/loss': 1.0})
    runner.iter = 3
    hook.before_train_iter(runner, batch_idx=3)  # 'local': a off, b on
    assert 'train/a.loss_d' not in hub.log_scalars
    assert list(hub.log_scalars['train/loss'].data[0]) == [1.0] * 3
