"""Restart optimizers and parameter schedulers inside a running Runner.

Used where a training run starts over part of its optimisation at an
iteration: a stage that begins a new schedule (`UDAStageHook`) and the
self-training step that retrains from the initial weights
(`PseudoLabelHook`). After a restart the optimizers and schedulers of the
chosen keys are in the state a fresh run would build: empty optimizer
states (momentum, Adam moments), every scheduled value back at its
initial value, and schedulers counting from the restart, so their
``begin`` / ``end`` are relative to the restart iteration. The states are
then saved in checkpoints as usual, so a run resumed after a restart
continues exactly.
"""
from typing import Dict, List, Optional, Sequence

from mmengine.optim import OptimWrapperDict

from mmseg.registry import PARAM_SCHEDULERS


def optim_wrappers(runner, keys: Optional[Sequence[str]] = None) -> list:
    """The runner's optimizer wrappers of ``keys`` (None: every one)."""
    wrapper = runner.optim_wrapper
    if isinstance(wrapper, OptimWrapperDict):
        return [w for k, w in wrapper.items() if keys is None or k in keys]
    return [wrapper]


def param_schedulers(runner, keys: Optional[Sequence[str]] = None) -> list:
    """The runner's parameter schedulers of ``keys`` (None: every one)."""
    schedulers = runner.param_schedulers or []
    if isinstance(schedulers, dict):
        return [
            s for k, group in schedulers.items()
            if keys is None or k in keys for s in group
        ]
    return list(schedulers)


def reset_optimizer(wrapper) -> None:
    """Empty the optimizer state and set each group's scheduled values
    (``lr``, ``momentum``, ...) back to their ``initial_*`` values.

    With several parameter groups MMEngine's wrapper adds one that tracks the
    base lr (logged as ``base_lr``); it is reset like the others.
    """
    wrapper.optimizer.state.clear()
    for group in wrapper.param_groups:
        for key in [k for k in group if k.startswith('initial_')]:
            group[key[len('initial_'):]] = group[key]


def restart_scheduler(scheduler) -> None:
    """Put a scheduler into the state right after its construction (which
    calls ``step()`` once), as if it were built now."""
    scheduler._global_step = -1
    scheduler.last_step = -1
    scheduler.step()


def build_schedulers(wrapper, cfgs: Sequence[dict], where: str) -> list:
    """Build iteration-based schedulers for one optimizer wrapper.

    Args:
        wrapper: The optimizer wrapper the schedulers drive.
        cfgs (Sequence[dict]): Scheduler configs (``by_epoch=False``).
        where (str): Names the owner in error messages.
    """
    built = []
    for cfg in cfgs:
        if cfg.get('by_epoch', True):
            raise ValueError(
                f'{where}: scheduler {cfg!r} counts epochs; the UDA loops '
                'are iteration-based, set by_epoch=False')
        built.append(
            PARAM_SCHEDULERS.build(dict(cfg), default_args=dict(
                optimizer=wrapper)))
    return built


def group_values(wrapper) -> List[Dict[str, object]]:
    """Every setting (lr, momentum, initial_lr, ...) of each parameter
    group of ``wrapper``, without the parameters."""
    return [{k: v
             for k, v in g.items() if k != 'params'}
            for g in wrapper.param_groups]


def restore_values(wrapper, values: List[Dict[str, object]]) -> None:
    """Undo what building schedulers wrote into the parameter groups."""
    for group, saved in zip(wrapper.param_groups, values):
        group.update(saved)
