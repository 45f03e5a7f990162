"""Switch the aligners of a UDASegmentor by iteration (SPEC 2, Stages)."""
import bisect
import copy
import logging
from typing import Dict, List, Optional, Sequence

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from mmseg.registry import HOOKS

_STAGE_KEYS = ('name', 'iters', 'aligners')


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

    The current stage name is published as ``message_hub`` info
    ``'uda_stage'`` (and its index as ``'uda_stage_index'``) for other
    hooks, e.g. pseudo-label generation at a boundary. The priority is
    HIGH so that NORMAL hooks see the new stage in the same
    ``before_train_iter``.

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
    """

    priority = 'HIGH'

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
        return dict(name=name,
                    iters=iters,
                    aligners=copy.deepcopy(dict(aligners)))

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

    def before_train(self, runner) -> None:
        """Validate, then set the stage of ``runner.iter`` (covers resume).
        """
        self._validate(runner)
        self._apply(runner, self.stage_index(runner.iter))

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        """Switch when the coming iteration starts a new stage."""
        index = self.stage_index(runner.iter)
        if index != self.current:
            self._apply(runner, index)
