import random
from types import SimpleNamespace

import numpy as np
import torch

from mmseg.registry import HOOKS


def _draws():
    return (random.random(), float(np.random.rand()), float(torch.rand(1)))


def test_restores_the_rng_streams_on_resume():
    hook = HOOKS.build(dict(type='RNGStateHook'))
    checkpoint = {}
    hook.before_save_checkpoint(SimpleNamespace(), checkpoint)
    expected = _draws()
    _draws()  # the stream moves on
    hook.after_load_checkpoint(SimpleNamespace(_resume=True), checkpoint)
    assert _draws() == expected


def test_load_from_keeps_the_new_runs_seed():
    hook = HOOKS.build(dict(type='RNGStateHook'))
    checkpoint = {}
    hook.before_save_checkpoint(SimpleNamespace(), checkpoint)
    stale = _draws()
    hook.after_load_checkpoint(SimpleNamespace(_resume=False), checkpoint)
    assert _draws() != stale
    # Checkpoints written without the hook load fine.
    hook.after_load_checkpoint(SimpleNamespace(_resume=True), {})
