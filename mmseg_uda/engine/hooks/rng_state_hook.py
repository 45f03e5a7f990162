"""Save and restore the global random-number-generator states."""
import random

import numpy as np
import torch
from mmengine.hooks import Hook

from mmseg.registry import HOOKS

CHECKPOINT_KEY = 'rng_state'


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Put the python, numpy, torch (and CUDA) RNG states in checkpoints.

    MMEngine seeds the generators once at start-up but does not save their
    states, so after ``--resume`` every random draw in the model differs
    from an uninterrupted run (e.g. the mixture module's per-pixel alpha and
    crop of global-local alignment). This hook stores the states when a
    checkpoint is written and restores them when one is resumed, so a
    resumed run continues with the same random stream. Data loading is not
    affected: MMEngine's samplers and workers have their own seeds.
    """
    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        state = dict(python=random.getstate(),
                     numpy=np.random.get_state(),
                     torch=torch.get_rng_state())
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            state['cuda'] = torch.cuda.get_rng_state_all()
        checkpoint[CHECKPOINT_KEY] = state

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        # MMEngine calls this for `load_from` too; a new run that only
        # loads weights keeps its own seed. The Runner keeps the resume
        # flag in a private attribute (no public accessor in 0.10.x).
        state = checkpoint.get(CHECKPOINT_KEY)
        if state is None or not getattr(runner, '_resume', False):
            return
        random.setstate(state['python'])
        np.random.set_state(state['numpy'])
        torch.set_rng_state(state['torch'])
        if 'cuda' in state and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state['cuda'])
