"""Stop (or skip the step) when a training loss is not finite (issue 8)."""
import math
from typing import Dict, Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmseg.registry import HOOKS

ACTIONS = ('stop', 'skip')


def _unwrap(module):
    return module.module if is_model_wrapper(module) else module


def non_finite_losses(outputs: Optional[dict]) -> Dict[str, float]:
    """The loss values of a ``train_step`` output that are NaN or inf.

    Every key naming a loss (``loss``, ``decode.loss_ce``,
    ``output_adv.loss_d_main``, ...) is checked.
    """
    bad = {}
    for key, value in (outputs or {}).items():
        if 'loss' not in key.split('.')[-1]:
            continue
        if isinstance(value, torch.Tensor):
            # the total loss still holds its graph
            value = value.detach()
        value = float(value)  # already synchronised by RuntimeInfoHook
        if not math.isfinite(value):
            bad[key] = value
    return bad


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Guard a run against NaN / inf losses.

    ``action='stop'`` (default): after an iteration whose outputs hold a
    non-finite loss, raise an error naming the iteration and the terms.
    The hook runs before ``CheckpointHook`` (priority ABOVE_NORMAL), so the
    weights that step produced are never written: the newest checkpoint
    on disk is the last good one, and ``--resume`` continues from it.

    ``action='skip'``: the model itself drops a step whose total loss is
    not finite (no backward, no optimizer step of G or of any aligner
    network, and every buffer the forward moved, BN statistics and SIM's
    feature banks, restored; ``UDASegmentor.skip_non_finite``, which costs
    one host sync and one copy of the buffers per iteration); this hook
    turns that on, counts the skipped steps
    (``train/skipped_non_finite`` in the logs) and stops after
    ``max_consecutive_skips`` in a row, since then the run is diverging
    rather than hitting a rare bad batch.

    Args:
        action (str): ``'stop'`` or ``'skip'``. Default: 'stop'.
        max_consecutive_skips (int): See above. Default: 10.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self,
                 action: str = 'stop',
                 max_consecutive_skips: int = 10) -> None:
        if action not in ACTIONS:
            raise ValueError(f'NonFiniteLossHook action must be one of '
                             f'{ACTIONS}, got {action!r}')
        if max_consecutive_skips < 1:
            raise ValueError('NonFiniteLossHook max_consecutive_skips must '
                             f'be >= 1, got {max_consecutive_skips}')
        self.action = action
        self.max_consecutive_skips = max_consecutive_skips
        self.consecutive_skips = 0

    def before_train(self, runner) -> None:
        model = _unwrap(runner.model)
        if self.action == 'skip':
            if not hasattr(model, 'skip_non_finite'):
                raise TypeError(
                    "NonFiniteLossHook(action='skip') needs a model that can "
                    f'skip a step (UDASegmentor); {type(model).__name__} '
                    "cannot: use action='stop'")
            model.skip_non_finite = True

    def _message(self, runner, what: str, bad: Dict[str, float]) -> str:
        last = runner.message_hub.get_info('last_ckpt')
        where = (f'the last checkpoint, {last}, was written before it; '
                 'resume from it with --resume' if last else
                 'no checkpoint was written yet')
        return (f'NonFiniteLossHook: {what} at iteration {runner.iter + 1}: '
                f'{bad}; {where} (lower the learning rate or loss weights, '
                'or use fp32 / bf16)')

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        skipped = bool((outputs or {}).get('skipped_non_finite', 0))
        if self.action == 'skip':
            self.consecutive_skips = self.consecutive_skips + 1 \
                if skipped else 0
            if self.consecutive_skips >= self.max_consecutive_skips:
                raise RuntimeError(
                    self._message(
                        runner, f'{self.consecutive_skips} steps in a row '
                        'skipped for non-finite losses',
                        non_finite_losses(outputs)))
            if skipped:
                return
        bad = non_finite_losses(outputs)
        if bad:
            raise RuntimeError(self._message(runner, 'non-finite loss', bad))
