"""The global random-number-generator states, as one value."""
import contextlib
import random
from typing import Iterator

import numpy as np
import torch


def get_rng_states() -> dict:
    """python, numpy, torch (and initialised CUDA) generator states."""
    state = dict(python=random.getstate(),
                 numpy=np.random.get_state(),
                 torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_rng_states(state: dict) -> None:
    """Restore states taken by :func:`get_rng_states`."""
    random.setstate(state['python'])
    np.random.set_state(state['numpy'])
    torch.set_rng_state(state['torch'])
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state['cuda'])


@contextlib.contextmanager
def preserved_rng_states() -> Iterator[None]:
    """Random draws inside the block leave the global streams as they
    were, e.g. pictures drawn during training do not change the run."""
    state = get_rng_states()
    try:
        yield
    finally:
        set_rng_states(state)
