"""Losses of the label-conditioned reconstruction GAN (LDR Eqs. (4)-(5)).

Shared by the ``LabelReconstruction`` aligner (adaptation) and the
``LabelToImage`` model (pretraining of M on source labels), so that M is
pretrained with exactly the objective it is later trained with.
"""
from typing import Callable, Dict, List, Optional

import torch
from torch import Tensor, nn

from ..losses import gan_loss

#: Label of real images (D_k's target on X) and of reconstructions
#: (its target on M(Omega)); M is rewarded when D_k calls its output real.
REAL_LABEL = 1.0
FAKE_LABEL = 0.0

#: A network call; ``BaseAligner.distributed(net)`` under DDP.
Network = Callable[..., object]


def _pair(condition: Tensor, image: Tensor) -> Tensor:
    """D_k's input ``concat(label map, image)`` along channels."""
    if condition.shape[0] != image.shape[0] or \
            condition.shape[2:] != image.shape[2:]:
        raise ValueError(
            'conditional GAN: label map and image must have the same batch '
            f'and size, got {tuple(condition.shape)} and '
            f'{tuple(image.shape)}')
    return torch.cat([condition, image.to(condition.dtype)], dim=1)


def generator_terms(condition: Tensor,
                    image: Tensor,
                    fake: Tensor,
                    discriminator: Network,
                    perceptual_loss: Optional[nn.Module],
                    feature_matching: Optional[nn.Module],
                    gan_mode: str = 'bce') -> Dict[str, Tensor]:
    """Unweighted terms minimised by M (and G, through ``condition``).

    * ``'adv'``: ``sum_k gan(D_k(Omega, M(Omega)), real)``, the
      non-saturating form of M's side of Eq. (4);
    * ``'vgg'``: ``perceptual_loss(M(Omega), X)`` (Eq. (5), first term);
    * ``'fm'``: ``feature_matching(D(Omega, X), D(Omega, M(Omega)))``
      (Eq. (5), second term).

    A term whose module is None is left out (ablations of Table 6). The
    discriminator must be frozen by the caller; gradients flow through it
    into ``fake`` and ``condition``.

    Args:
        condition (Tensor): Label map Omega (N, C, H, W).
        image (Tensor): Real image X (N, 3, H, W) in [-1, 1].
        fake (Tensor): Reconstruction M(Omega) (N, 3, H, W).
        discriminator (callable): Multi-scale D, ``forward(x,
            return_features)`` -> per scale logits or (logits, features).
        perceptual_loss (nn.Module, optional): e.g. ``PerceptualLoss``.
        feature_matching (nn.Module, optional): e.g.
            ``FeatureMatchingLoss``.
        gan_mode (str): ``'bce'`` (the paper's log loss) or ``'lsgan'``.

    Returns:
        dict[str, Tensor]: Scalar fp32 terms.
    """
    terms: Dict[str, Tensor] = {}
    with_fm = feature_matching is not None
    fake_out = discriminator(_pair(condition, fake), return_features=True)
    terms['adv'] = sum(
        gan_loss(logits, REAL_LABEL, gan_mode) for logits, _ in fake_out)
    if perceptual_loss is not None:
        terms['vgg'] = perceptual_loss(fake, image)
    if with_fm:
        real_out = discriminator(_pair(condition, image),
                                 return_features=True)
        real_feats: List[List[Tensor]] = [list(f) for _, f in real_out]
        fake_feats: List[List[Tensor]] = [list(f) for _, f in fake_out]
        terms['fm'] = feature_matching(real_feats, fake_feats)
    return terms


def discriminator_loss(condition: Tensor,
                       image: Tensor,
                       fake: Tensor,
                       discriminator: Network,
                       gan_mode: str = 'bce') -> Tensor:
    """D_k's side of Eq. (4), summed over the scales.

    ``sum_k (gan(D_k(Omega, X), real) + gan(D_k(Omega, M(Omega)), fake))
    / 2`` on detached inputs: the D step never reaches G or M.

    Returns:
        Tensor: Scalar fp32 loss.
    """
    condition, image, fake = (condition.detach(), image.detach(),
                              fake.detach())
    real_out = discriminator(_pair(condition, image))
    fake_out = discriminator(_pair(condition, fake))
    return sum((gan_loss(r, REAL_LABEL, gan_mode) +
                gan_loss(f, FAKE_LABEL, gan_mode)) / 2
               for r, f in zip(real_out, fake_out))
