"""Discriminator feature-matching L1 loss (LDR Eq. (5) second term)."""
from typing import Optional, Sequence

from mmseg.registry import MODELS
from torch import Tensor, nn

#: Features of one discriminator (one per layer) or of several (nested).
Features = Sequence[Tensor]


def feature_matching_loss(real: Sequence[Features],
                          fake: Sequence[Features],
                          layer_weights: Optional[Sequence[float]] = None
                          ) -> Tensor:
    """``sum_k sum_n w_n * mean |D_k^(n)(real) - D_k^(n)(fake)|``.

    ``real[k][n]`` is the output of layer ``n`` of discriminator ``k`` on
    the real pair, ``fake[k][n]`` the same on the generated pair. Each
    difference is averaged over its elements (the paper's expectation of
    an L1 norm) and the terms are summed over layers and discriminators,
    as written in LDR's Eq. (5). Nothing is detached here: in LDR both
    pairs are conditioned on G's label map, so both carry G's gradient.

    Args:
        real (Sequence[Sequence[Tensor]]): Per discriminator, per layer.
        fake (Sequence[Sequence[Tensor]]): The same structure and shapes.
        layer_weights (Sequence[float], optional): ``w_n`` per layer
            index, shared by the discriminators. Default: all 1.

    Returns:
        Tensor: Scalar fp32 loss.
    """
    if len(real) != len(fake) or not real:
        raise ValueError('feature_matching_loss: expected features of the '
                         'same non-empty number of discriminators, got '
                         f'{len(real)} and {len(fake)}')
    total = None
    for k, (feats_r, feats_f) in enumerate(zip(real, fake)):
        if len(feats_r) != len(feats_f):
            raise ValueError(
                f'feature_matching_loss: discriminator {k} has '
                f'{len(feats_r)} real and {len(feats_f)} fake layers')
        if layer_weights is not None and len(layer_weights) < len(feats_r):
            raise ValueError(
                f'feature_matching_loss: {len(layer_weights)} layer weights'
                f' for {len(feats_r)} layers of discriminator {k}')
        for n, (fr, ff) in enumerate(zip(feats_r, feats_f)):
            if fr.shape != ff.shape:
                raise ValueError(
                    f'feature_matching_loss: layer {n} of discriminator {k}'
                    f' has shapes {tuple(fr.shape)} and {tuple(ff.shape)}')
            w = 1.0 if layer_weights is None else float(layer_weights[n])
            term = w * (fr.float() - ff.float()).abs().mean()
            total = term if total is None else total + term
    if total is None:
        raise ValueError('feature_matching_loss: no features to match')
    return total


@MODELS.register_module()
class FeatureMatchingLoss(nn.Module):
    """Module form of :func:`feature_matching_loss` for configs.

    Args:
        layer_weights (Sequence[float], optional): Per-layer weights.
            Default: None (all 1, the paper's plain sum).
        loss_weight (float): Multiplies the loss. Default: 1.0.
    """

    def __init__(self,
                 layer_weights: Optional[Sequence[float]] = None,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.layer_weights = (None if layer_weights is None else tuple(
            float(w) for w in layer_weights))
        self.loss_weight = float(loss_weight)

    def forward(self, real: Sequence[Features],
                fake: Sequence[Features]) -> Tensor:
        """See :func:`feature_matching_loss`."""
        return self.loss_weight * feature_matching_loss(
            real, fake, self.layer_weights)
