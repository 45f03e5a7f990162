"""Switch the aligners of a UDASegmentor by iteration (SPEC 2, Stages)."""
import bisect
import copy
import logging
from typing import Dict, List, Optional, Sequence

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapperDict

from mmseg.registry import HOOKS
from ..optimizers.optimization_restart import (build_schedulers,
                                               group_values, reset_optimizer,
                                               restart_scheduler,
                                               restore_values)

_STAGE_KEYS = ('name', 'iters', 'aligners', 'restart', 'param_scheduler')


def _unwrap(module):
    return module.module if is_model_wrapper(module) else module


@HOOKS.register_module()
class UDAStageHook(Hook):
    """Apply a sequence of training stages to the model's aligners.

    Stage ``k`` covers the iterations ``[c_{k-1}, c_k)`` with
    ``c_k = iters_0 + ... + iters_k``; the last stage also covers every
    iteration after ``c_K`` (a schedule shorter than ``max_iters`` only
    warns). Entering stage ``k`` applies stages ``0..k`` in order, each
    setting ``aligner.active`` and calling ``aligner.set_stage_params``
    for the aligners it names. Parameters a stage does not mention thus
    carry over from earlier stages (or from the config), and the state at
    any iteration depends on nothing but that iteration, so a resumed run
    gets exactly the state of an uninterrupted one.

    A stage may also start its own optimisation schedule (``restart``,
    ``param_scheduler``): at the stage's first iteration the optimizers of
    the named keys start afresh (empty states, every scheduled value back
    at its initial value, e.g. the base lr) and their schedulers count from
    that iteration, i.e. ``begin`` / ``end`` are relative to the stage start;
    ``param_scheduler`` replaces the schedulers of a key by the stage's own
    from then on. That is a second training run started from the weights of
    the first, as the two-step methods run it (global-local alignment starts
    stage 2 at SGD 2.5e-4 / Adam 1e-4). The new states are checkpointed, and
    a run resumed inside the stage rebuilds the stage's schedulers before
    loading their states, so it continues exactly.

    The current stage name is published as ``message_hub`` info
    ``'uda_stage'`` (and its index as ``'uda_stage_index'``) for other
    hooks, e.g. pseudo-label generation at a boundary. The priority is
    HIGHEST so that every other hook sees the new stage in the same
    ``before_train_iter``, MMEngine's ``RuntimeInfoHook`` (VERY_HIGH)
    included: it logs the lr of the iteration, after a restart.

    Example (global-local, SPEC 4.1)::

        custom_hooks = [dict(type='UDAStageHook', stages=[
            dict(name='global', iters=120000,
                 aligners=dict(output_adv=dict(active=True),
                               local_adv=dict(active=False))),
            dict(name='local_mix', iters=30000,
                 aligners=dict(output_adv=dict(active=False),
                               local_adv=dict(active=True, theta=0.6))),
            dict(name='local', iters=50000,
                 aligners=dict(local_adv=dict(theta=1.0))),
        ])]

    Args:
        stages (list[dict]): Stages in order, each with ``name`` (str,
            unique), ``iters`` (int > 0, the stage's length) and optional
            ``aligners=dict(<aligner name>=dict(active=bool, **params))``;
            ``active`` may be omitted to keep the previous value.
            Optional ``restart``: True (every optimizer key) or a list of
            ``optim_wrapper`` keys to restart at the stage's first
            iteration; optional ``param_scheduler=dict(<key>=[scheduler
            cfgs with by_epoch=False])``: the schedulers of that key from
            the stage on (the key is restarted too).
    """

    priority = 'HIGHEST'

    def __init__(self, stages: Sequence[dict]) -> None:
        if not isinstance(stages, (list, tuple)) or not stages:
            raise ValueError('UDAStageHook: `stages` must be a non-empty '
                             f'list of dicts, got {stages!r}')
        self.stages: List[dict] = []
        names = set()
        for i, stage in enumerate(stages):
            self.stages.append(self._check_stage(i, stage))
            name = self.stages[-1]['name']
            if name in names:
                raise ValueError(
                    f'UDAStageHook: stage name {name!r} is used twice')
            names.add(name)
        # ends[k] = first iteration after stage k.
        self.ends: List[int] = []
        total = 0
        for stage in self.stages:
            total += stage['iters']
            self.ends.append(total)
        self.current: Optional[int] = None
        # scheduler states of a checkpoint being resumed (see
        # after_load_checkpoint)
        self._loaded_schedulers: Optional[dict] = None

    def begin(self, index: int) -> int:
        """First iteration of stage ``index``."""
        return self.ends[index] - self.stages[index]['iters']

    @staticmethod
    def _check_stage(index: int, stage: dict) -> dict:
        where = f'UDAStageHook: stages[{index}]'
        if not isinstance(stage, dict):
            raise TypeError(f'{where} must be a dict, got {stage!r}')
        unknown = sorted(set(stage) - set(_STAGE_KEYS))
        if unknown:
            raise ValueError(f'{where} has unknown keys {unknown}; expected '
                             f'{list(_STAGE_KEYS)}')
        name = stage.get('name')
        if not isinstance(name, str) or not name:
            raise ValueError(f'{where} needs a non-empty string `name`, got '
                             f'{name!r}')
        iters = stage.get('iters')
        if isinstance(iters, bool) or not isinstance(iters, int) or \
                iters <= 0:
            raise ValueError(f'{where} ({name!r}) needs a positive integer '
                             f'`iters`, got {iters!r}')
        aligners = stage.get('aligners', {})
        if not isinstance(aligners, dict):
            raise TypeError(f'{where} ({name!r}): `aligners` must be a dict '
                            f'of <aligner name>=dict(...), got {aligners!r}')
        for aligner, params in aligners.items():
            if not isinstance(params, dict):
                raise TypeError(
                    f'{where} ({name!r}): aligners.{aligner} must be a dict '
                    f'like dict(active=True, ...), got {params!r}')
            if 'active' in params and not isinstance(params['active'], bool):
                raise TypeError(
                    f'{where} ({name!r}): aligners.{aligner}.active must be '
                    f'True or False, got {params["active"]!r}')
        restart = stage.get('restart', False)
        if isinstance(restart, (list, tuple)):
            if not all(isinstance(k, str) for k in restart):
                raise TypeError(f'{where} ({name!r}): `restart` must list '
                                f'optimizer keys (str), got {restart!r}')
            restart = list(restart)
        elif not isinstance(restart, bool):
            raise TypeError(f'{where} ({name!r}): `restart` must be True, '
                            f'False or a list of optimizer keys, got '
                            f'{restart!r}')
        schedulers = stage.get('param_scheduler', {})
        if not isinstance(schedulers, dict) or not all(
                isinstance(v, (list, tuple)) and all(
                    isinstance(c, dict) and 'type' in c for c in v)
                for v in schedulers.values()):
            raise TypeError(
                f'{where} ({name!r}): `param_scheduler` must be a dict of '
                f'<optimizer key>=[dict(type=..., by_epoch=False, ...)], '
                f'got {schedulers!r}')
        for key, cfgs in schedulers.items():
            for cfg in cfgs:
                if cfg.get('by_epoch', True):
                    raise ValueError(
                        f'{where} ({name!r}): param_scheduler.{key} has '
                        f'{cfg!r}, which counts epochs; set by_epoch=False')
        return dict(name=name,
                    iters=iters,
                    aligners=copy.deepcopy(dict(aligners)),
                    restart=restart,
                    param_scheduler={
                        k: [dict(c) for c in v]
                        for k, v in schedulers.items()
                    })

    def stage_index(self, iteration: int) -> int:
        """Index of the stage that trains 0-based iteration ``iteration``.

        Iterations past the end of the schedule belong to the last stage.
        """
        return min(bisect.bisect_right(self.ends, iteration),
                   len(self.stages) - 1)

    @staticmethod
    def _aligners(runner) -> Dict[str, object]:
        model = _unwrap(runner.model)
        aligners = getattr(model, 'aligners', None)
        if aligners is None:
            raise TypeError(
                f'UDAStageHook: the model {type(model).__name__} has no '
                '`aligners`; the hook needs a UDASegmentor')
        return dict(_unwrap(aligners).items())

    def _validate(self, runner) -> None:
        aligners = self._aligners(runner)
        for stage in self.stages:
            for name, params in stage['aligners'].items():
                if name not in aligners:
                    raise KeyError(
                        f'UDAStageHook: stage {stage["name"]!r} names '
                        f'aligner {name!r}, but the model has '
                        f'{sorted(aligners)}')
                aligner = aligners[name]
                for key in params:
                    if key == 'active':
                        continue
                    if key.startswith('_') or not hasattr(aligner, key):
                        raise AttributeError(
                            f'UDAStageHook: stage {stage["name"]!r} sets '
                            f'{name}.{key}, but {type(aligner).__name__} '
                            f'has no stage parameter {key!r}')
        for stage in self.stages:
            keys = self._restart_keys(stage)
            if not keys:
                continue
            if not isinstance(runner.optim_wrapper, OptimWrapperDict) or \
                    not isinstance(runner.param_schedulers, dict):
                raise TypeError(
                    f'UDAStageHook: stage {stage["name"]!r} restarts '
                    f'{keys}, which needs a dict `optim_wrapper` and a dict '
                    f'`param_scheduler` keyed alike (the UDA configs\' form)')
            unknown = [
                k for k in keys
                if k is not None and k not in runner.optim_wrapper
            ]
            if unknown:
                raise KeyError(
                    f'UDAStageHook: stage {stage["name"]!r} restarts '
                    f'{unknown}, but the optimizer keys are '
                    f'{sorted(runner.optim_wrapper.keys())}')
        max_iters = getattr(runner, 'max_iters', None)
        if isinstance(max_iters, int) and self.ends[-1] < max_iters:
            print_log(
                f'UDAStageHook: the stages cover {self.ends[-1]} '
                f'iterations but max_iters is {max_iters}; the last stage '
                f'{self.stages[-1]["name"]!r} runs to the end',
                logger='current',
                level=logging.WARNING)

    def _apply(self, runner, index: int) -> None:
        """Apply stages ``0..index`` in order and publish the stage."""
        aligners = self._aligners(runner)
        for stage in self.stages[:index + 1]:
            for name, params in stage['aligners'].items():
                params = dict(params)
                aligner = aligners[name]
                if 'active' in params:
                    aligner.active = params.pop('active')
                aligner.set_stage_params(**params)
        self.current = index
        # MMEngine logs the window average of every key in the message hub,
        # so a switched-off aligner's last losses would be printed (and
        # written to scalars.json) unchanged for the rest of the run.
        scalars = runner.message_hub.log_scalars
        for name, aligner in aligners.items():
            if not aligner.active:
                for key in [k for k in scalars
                            if k.startswith(f'train/{name}.')]:
                    scalars.pop(key)
        stage = self.stages[index]
        begin = self.ends[index] - stage['iters']
        state = ', '.join(f'{n}={"on" if a.active else "off"}'
                          for n, a in aligners.items())
        runner.logger.info(
            f'UDA stage {index} {stage["name"]!r} (iterations {begin}-'
            f'{self.ends[index] - 1}) at iter {runner.iter}: {state}')
        runner.message_hub.update_info('uda_stage', stage['name'])
        runner.message_hub.update_info('uda_stage_index', index)

    @staticmethod
    def _restart_keys(stage: dict) -> List[Optional[str]]:
        """Keys a stage restarts; [None] means every key."""
        restart = stage['restart']
        if restart is True:
            return [None]
        keys = list(restart or [])
        keys += [k for k in stage['param_scheduler'] if k not in keys]
        return keys

    def _restart(self, runner, index: int) -> None:
        """Start the optimisation of stage ``index`` afresh (its first
        iteration)."""
        stage = self.stages[index]
        keys = self._restart_keys(stage)
        if keys == [None]:
            keys = list(runner.optim_wrapper.keys())
        for key in keys:
            wrapper = runner.optim_wrapper[key]
            reset_optimizer(wrapper)
            if key in stage['param_scheduler']:
                runner.param_schedulers[key] = build_schedulers(
                    wrapper, stage['param_scheduler'][key],
                    f'UDAStageHook: stage {stage["name"]!r}')
            else:
                for scheduler in runner.param_schedulers.get(key, []):
                    restart_scheduler(scheduler)
        lrs = ', '.join(
            f'{k}={w.param_groups[0]["lr"]:.3g}' for k, w in zip(
                keys, (runner.optim_wrapper[k] for k in keys)))
        runner.logger.info(
            f'UDA stage {stage["name"]!r}: optimizers and schedulers '
            f'restarted at iter {runner.iter} ({lrs})')

    def _resume_stage_schedulers(self, runner) -> None:
        """After a resume inside or after a stage with its own schedulers,
        rebuild them and load their checkpointed states (MMEngine loaded
        those into the config's schedulers, which the run no longer uses).
        """
        states, self._loaded_schedulers = self._loaded_schedulers, None
        if states is None or runner.iter == 0:
            return
        index = self.stage_index(runner.iter)
        owner: Dict[str, int] = {}
        for k in range(index + 1):
            # a stage's schedulers exist once its first iteration has run
            if self.begin(k) >= runner.iter:
                break
            for key in self._restart_keys(self.stages[k]):
                for name in (runner.optim_wrapper.keys()
                             if key is None else [key]):
                    owner[name] = k
        for key, k in owner.items():
            cfgs = self.stages[k]['param_scheduler'].get(key)
            if cfgs is None:
                continue
            wrapper = runner.optim_wrapper[key]
            before = group_values(wrapper)
            built = build_schedulers(
                wrapper, cfgs,
                f'UDAStageHook: stage {self.stages[k]["name"]!r}')
            saved = states.get(key, [])
            if len(saved) != len(built):
                raise ValueError(
                    f'UDAStageHook: the checkpoint holds {len(saved)} '
                    f'schedulers for {key!r}, stage '
                    f'{self.stages[k]["name"]!r} defines {len(built)}; was '
                    'it written with another config?')
            for scheduler, state in zip(built, saved):
                scheduler.load_state_dict(state)
            # the resumed optimizer holds the values of the checkpoint
            restore_values(wrapper, before)
            runner.param_schedulers[key] = built

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the scheduler states of a checkpoint (used on resume)."""
        states = checkpoint.get('param_schedulers')
        self._loaded_schedulers = states if isinstance(states, dict) else None

    def apply_stage_of(self, runner, iteration: int) -> None:
        """Set the aligners as they were when ``iteration`` trained, for
        tools that load a checkpoint outside training (e.g. panels; no
        optimizers are built there, so nothing restarts)."""
        self._apply(runner, self.stage_index(iteration))

    def before_train(self, runner) -> None:
        """Validate, then set the stage of ``runner.iter`` (covers resume).
        """
        self._validate(runner)
        self._resume_stage_schedulers(runner)
        self._apply(runner, self.stage_index(runner.iter))

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        """Switch when the coming iteration starts a new stage."""
        index = self.stage_index(runner.iter)
        if index != self.current:
            self._apply(runner, index)
        if runner.iter == self.begin(index) and self._restart_keys(
                self.stages[index]):
            self._restart(runner, index)
