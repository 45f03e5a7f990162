"""Adversarial losses with soft targets and validity masks (SPEC 3, 4.1)."""
from typing import Optional, Union

import torch
import torch.nn.functional as F
from torch import Tensor

#: Domain label of the source domain (AdaptSegNet, ADVENT, GL paper).
SOURCE_LABEL = 0.0
#: Domain label of the target domain.
TARGET_LABEL = 1.0

GAN_MODES = ('bce', 'lsgan')


def gan_loss(logits: Tensor,
             target: Union[float, Tensor],
             mode: str = 'bce',
             mask: Optional[Tensor] = None) -> Tensor:
    """Mean adversarial loss of discriminator outputs against domain labels.

    Per element, with ``x`` the raw discriminator output and ``y`` the
    (possibly soft) domain label in [0, 1]:

    * ``'bce'``: ``-(y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x)))``
      (BCE-with-logits, vanilla GAN);
    * ``'lsgan'``: ``(x - y) ** 2`` (least-squares GAN on the raw output).

    The result is ``sum(mask * l) / sum(mask)``, the mean over valid
    elements. It is computed in fp32 with autocast off, because BCE of fp16
    logits saturates. An all-invalid mask gives 0 instead of NaN (the
    denominator is clamped to 1), still connected to ``logits`` so that a
    backward pass through it is valid and gives zero gradients.

    Args:
        logits (Tensor): Discriminator output, e.g. (N, 1, H, W).
        target (float | Tensor): Domain label, a number or a tensor that
            broadcasts to ``logits`` (soft labels of the mixture module).
        mode (str): ``'bce'`` or ``'lsgan'``. Default: ``'bce'``.
        mask (Tensor, optional): Validity mask (bool or 0/1 float; a float
            mask acts as per-element weights) broadcastable to ``logits``;
            a mask of shape (N, H, W) for logits (N, 1, H, W) is accepted.
            Default: None (every element valid).

    Returns:
        Tensor: Scalar fp32 loss.
    """
    if mode not in GAN_MODES:
        raise ValueError(f'gan_loss mode must be one of {GAN_MODES}, '
                         f'got {mode!r}')
    with torch.autocast(device_type=logits.device.type, enabled=False):
        x = logits.float()
        if isinstance(target, Tensor):
            y = target.to(device=x.device, dtype=torch.float32)
        else:
            y = torch.full_like(x, float(target))
        try:
            y = y.expand_as(x)
        except RuntimeError as err:
            raise ValueError(
                f'gan_loss target of shape {tuple(y.shape)} does not '
                f'broadcast to logits {tuple(x.shape)}') from err
        if mode == 'bce':
            loss = F.binary_cross_entropy_with_logits(x, y, reduction='none')
        else:
            loss = F.mse_loss(x, y, reduction='none')
        if mask is None:
            return loss.mean()
        m = mask.to(device=x.device, dtype=torch.float32)
        if m.dim() == x.dim() - 1:
            m = m.unsqueeze(1)
        try:
            m = m.expand_as(x)
        except RuntimeError as err:
            raise ValueError(
                f'gan_loss mask of shape {tuple(mask.shape)} does not '
                f'broadcast to logits {tuple(x.shape)}') from err
        return (loss * m).sum() / m.sum().clamp(min=1.0)


def target_probability(logits: Tensor, mode: str = 'bce') -> Tensor:
    """What a discriminator says about "target" (label 1), in [0, 1].

    The sigmoid of the raw output for ``'bce'``; for ``'lsgan'``, whose
    output regresses the label directly, the output clipped to [0, 1].
    Used to draw D's confidence maps, never in a loss.
    """
    if mode not in GAN_MODES:
        raise ValueError(f'target_probability mode must be one of '
                         f'{GAN_MODES}, got {mode!r}')
    x = logits.detach().float()
    return torch.sigmoid(x) if mode == 'bce' else x.clamp(0.0, 1.0)
