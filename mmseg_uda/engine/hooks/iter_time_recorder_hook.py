"""Per-iteration wall time of a training run (for tools/benchmark.py)."""
import time
from typing import List, Optional

import torch
from mmengine.hooks import Hook

from mmseg.registry import HOOKS


@HOOKS.register_module()
class IterTimeRecorderHook(Hook):
    """Record the wall time of every training iteration.

    The period between consecutive ``after_train_iter`` calls (the first
    one from ``before_train``), with the device synchronised at each
    point, so asynchronous CUDA work is counted in its own iteration and
    data loading is counted too.
    """

    priority = 'VERY_LOW'

    def __init__(self) -> None:
        self.times: List[float] = []
        self._last: Optional[float] = None

    def _now(self) -> float:
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            torch.cuda.synchronize()
        return time.perf_counter()

    def before_train(self, runner) -> None:
        self.times = []
        self._last = self._now()

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        now = self._now()
        self.times.append(now - self._last)
        self._last = now
