"""One backward pass, several optimizers (G plus joint aligner networks)."""
from typing import Sequence

from mmengine.optim import AmpOptimWrapper, OptimWrapper
from torch import Tensor


def joint_update(loss: Tensor, wrappers: Sequence[OptimWrapper]) -> None:
    """Back-propagate ``loss`` once and step every wrapper's optimizer.

    Used when networks with their own optimizers are trained by the same
    loss (G and LDR's reconstruction net M: ``BaseAligner.joint_modules``).
    With one wrapper this is exactly ``wrapper.update_params(loss)``.

    Under AMP the wrappers must share one loss scale, since the gradients
    of all of them come from one scaled backward: the first wrapper's
    ``GradScaler`` is given to the others, each optimizer is stepped
    through it and the scale is updated once.

    Args:
        loss (Tensor): Scalar loss.
        wrappers (Sequence[OptimWrapper]): The first one (G's) scales the
            loss and owns the shared loss scaler.

    Raises:
        TypeError: If AMP and plain wrappers are mixed.
        ValueError: If a wrapper accumulates gradients over several
            iterations (not supported for joint updates).
    """
    first, others = wrappers[0], list(wrappers[1:])
    if not others:
        first.update_params(loss)
        return
    amp = [isinstance(w, AmpOptimWrapper) for w in wrappers]
    if any(amp) and not all(amp):
        raise TypeError(
            'joint_update: G and its joint networks must all use AMP or '
            f'none; got {[type(w).__name__ for w in wrappers]}')
    for w in wrappers:
        if w._accumulative_counts != 1:
            raise ValueError(
                'joint_update: gradient accumulation '
                f'(accumulative_counts={w._accumulative_counts}) is not '
                'supported for networks trained jointly with G')
    loss = first.scale_loss(loss)
    if not all(amp):
        first.backward(loss)
        for w in others:
            w._inner_count += 1
        for w in wrappers:
            w.step()
            w.zero_grad()
        return
    scaler = first.loss_scaler
    for w in others:
        w.loss_scaler = scaler
    first.backward(loss)
    for w in others:
        w._inner_count += 1
    for w in wrappers:
        if w.clip_grad_kwargs:
            scaler.unscale_(w.optimizer)
            w._clip_grad()
        scaler.step(w.optimizer)
    scaler.update(first._scale_update_param)
    for w in wrappers:
        w.zero_grad()
