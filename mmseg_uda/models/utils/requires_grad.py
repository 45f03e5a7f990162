"""Temporarily switch ``requires_grad`` of a set of parameters."""
from contextlib import contextmanager
from typing import Iterable, Iterator

from torch import nn


@contextmanager
def requires_grad(params: Iterable[nn.Parameter],
                  flag: bool) -> Iterator[None]:
    """Set ``requires_grad=flag`` on ``params``; restore the old flags after.

    ``UDASegmentor`` freezes every aligner network *before* G's forward pass
    so that G's backward neither computes nor writes their gradients; an
    aligner's own update makes its networks trainable whatever state it
    finds. The flags are restored even if the body raises, so a failed step
    never leaves a network frozen (or unfrozen).
    """
    params = list(params)
    flags = [p.requires_grad for p in params]
    try:
        for p in params:
            p.requires_grad_(flag)
        yield
    finally:
        for p, old in zip(params, flags):
            p.requires_grad_(old)
