"""Local (pixel-level) output alignment of global-local alignment (SPEC 4.1).
"""
import copy
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapperDict
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor

from mmseg_uda.structures import DebugMap
from ..losses import (GAN_MODES, SOURCE_LABEL, TARGET_LABEL, gan_loss,
                      target_probability)
from ..utils import requires_grad
from .base_aligner import BaseAligner
from .domain_outputs import DomainOutputs

RESOLUTIONS = ('native', 'input')
ALIGN_MODES = ('crop', 'resize')


def mix(p_s: Tensor, p_t: Tensor,
        alpha: Tensor) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
    """Mixture module of the global-local paper, eq. (2).

    ``m1 = a p_s + (1 - a) p_t`` with soft label ``a l_s + (1 - a) l_t``
    and ``m2 = (1 - a) p_s + a p_t`` with soft label ``(1 - a) l_s + a l_t``
    (``l_s = SOURCE_LABEL = 0``, ``l_t = TARGET_LABEL = 1``, so the labels
    are ``1 - a`` and ``a``).

    Args:
        p_s (Tensor): Source probabilities (N, C, h, w).
        p_t (Tensor): Target probabilities (N, C, h, w).
        alpha (Tensor): Mixing weight per pixel, (N, 1, h, w) (anything
            that broadcasts).

    Returns:
        tuple[Tensor]: ``m1`` (N, C, h, w), label of m1 (N, 1, h, w),
        ``m2`` (N, C, h, w), label of m2 (N, 1, h, w).
    """
    m1 = alpha * p_s + (1 - alpha) * p_t
    m2 = (1 - alpha) * p_s + alpha * p_t
    label1 = alpha * SOURCE_LABEL + (1 - alpha) * TARGET_LABEL
    label2 = (1 - alpha) * SOURCE_LABEL + alpha * TARGET_LABEL
    return m1, label1, m2, label2


@MODELS.register_module()
class LocalAdversarial(BaseAligner):
    """Pixel-level discriminator with background exclusion and mixture.

    Decisions (the paper gives no code; SPEC 4.1 fixes the rest):

    * Input of the pixel discriminator D: the fp32 softmax of the
      ``level`` logits at G's native resolution (stride 8 for DeepLab-v2,
      ``resolution='native'``) or upsampled to the input size
      (``'input'``, shared with the output-space aligners).
    * G side: ``loss_adv_local = loss_weight * mean_pixels
      gan(D(p_t), SOURCE_LABEL)`` over every target pixel; the mixture is
      never fed to G's loss (the paper uses it only to train D).
    * Background exclusion (``exclude_background``): the source label,
      nearest-resized to D's resolution, marks pixels equal to
      ``ignore_index`` invalid; source terms of the D loss are means over
      valid pixels only. An image without valid pixels contributes 0.
    * Without mixing (``theta >= 1``), the D loss is
      ``(gan(D(p_s), 0; valid) + gan(D(p_t), 1)) / 2`` on the full maps
      (the halving follows AdaptSegNet's D loss).
    * With mixing (``theta < 1``): the maps are brought to a common size
      (``align='crop'``: one random crop of the larger map per dimension
      and batch, shared by the source map and its mask; ``'resize'``:
      bilinear resize of probabilities, nearest of the mask, to the
      smaller size); per pixel ``a = 1 - (1 - theta) u``, ``u ~ U[0, 1)``
      from the global torch RNG (so MMEngine's seed makes it
      deterministic), i.e. ``a`` in ``(theta, 1]`` as in the paper; D is
      trained on ``m1`` and ``m2`` of :func:`mix` with their soft labels
      ONLY (eq. 3 has no plain terms):
      ``(gan(D(m1), 1 - a; mask1) + gan(D(m2), a; mask2)) / 2``.
      A mixed pixel is excluded where it holds a non-zero share of a source
      background pixel: ``mask1 = valid | (a == 0)``,
      ``mask2 = valid | (a == 1)``. Hence ``a = 1`` gives exactly the
      unmixed loss on the common-size maps, and ``theta = 1`` (no mixing,
      the paper's second phase) is exactly the plain local loss.
    * Source and target batches must have the same size when mixing
      (sample i of one domain is mixed with sample i of the other).
    * ``theta`` is a public attribute: ``UDAStageHook`` sets it per stage
      (e.g. 0.6 for 30k iterations, then 1.0).

    Args:
        num_classes (int): Channels of G's logits.
        loss_weight (float): lambda_adv of the G-side loss. Default: 1e-3.
        theta (float): Mixture floor in [0, 1]; 1 disables mixing.
            Default: 1.0.
        exclude_background (bool): Drop source ignore pixels from the D
            loss. Default: True.
        resolution (str): ``'native'`` or ``'input'``. Default: 'native'.
        align (str): ``'crop'`` or ``'resize'``. Default: 'crop'.
        gan_mode (str): ``'bce'`` or ``'lsgan'``. Default: 'bce'.
        discriminator (dict): Config of D; ``in_channels`` defaults to
            ``num_classes``. Default: ``dict(type='PixelDiscriminator')``.
        level (str): Prediction level to align. Default: 'main'.
        ignore_index (int): Background label of the source. Default: 255.
        active (bool): See :class:`BaseAligner`. Default: True.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    optim_modules = ('discriminator', )

    def __init__(self,
                 num_classes: int,
                 loss_weight: float = 1e-3,
                 theta: float = 1.0,
                 exclude_background: bool = True,
                 resolution: str = 'native',
                 align: str = 'crop',
                 gan_mode: str = 'bce',
                 discriminator: dict = dict(type='PixelDiscriminator'),
                 level: str = 'main',
                 ignore_index: int = 255,
                 active: bool = True,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(active=active, init_cfg=init_cfg)
        for arg, value, allowed in [('resolution', resolution, RESOLUTIONS),
                                    ('align', align, ALIGN_MODES),
                                    ('gan_mode', gan_mode, GAN_MODES)]:
            if value not in allowed:
                raise ValueError(f'LocalAdversarial {arg} must be one of '
                                 f'{allowed}, got {value!r}')
        self.num_classes = num_classes
        self.loss_weight = loss_weight
        self.theta = theta
        self._check_theta()
        self.exclude_background = exclude_background
        self.resolution = resolution
        self.align = align
        self.gan_mode = gan_mode
        self.level = level
        self.ignore_index = ignore_index
        cfg = copy.deepcopy(discriminator)
        cfg.setdefault('in_channels', num_classes)
        self.discriminator = MODELS.build(cfg)

    def _check_theta(self) -> None:
        # theta is set from stage configs at run time, check at every use
        if not 0.0 <= float(self.theta) <= 1.0:
            raise ValueError(
                f'LocalAdversarial theta must be in [0, 1], got {self.theta}')

    def probs(self, outputs: DomainOutputs) -> Tensor:
        """fp32 softmax of the aligned level at D's resolution.

        Returns:
            Tensor: (N, num_classes, h, w).
        """
        if self.level not in outputs.logits:
            raise ValueError(
                f'LocalAdversarial aligns level {self.level!r}, but the '
                f'outputs only have {outputs.levels}')
        if self.resolution == 'input':
            logits = outputs.upsampled_logits(self.level)
        else:
            logits = outputs.logits[self.level]
        if logits.shape[1] != self.num_classes:
            raise ValueError(
                f'LocalAdversarial expects {self.num_classes}-channel '
                f'logits, got {tuple(logits.shape)}')
        with torch.autocast(device_type=logits.device.type, enabled=False):
            return F.softmax(logits.float(), dim=1)

    def source_valid(self, source: DomainOutputs,
                     size: Tuple[int, int]) -> Optional[Tensor]:
        """Non-background mask of the source at D's resolution.

        Args:
            source (DomainOutputs): Source outputs holding ``gt_sem_seg``.
            size (tuple[int, int]): D's resolution (h, w).

        Returns:
            Tensor | None: (N, 1, h, w) bool, or None without exclusion.
        """
        if not self.exclude_background:
            return None
        label = source.gt_sem_seg()
        if label is None:
            raise ValueError('LocalAdversarial(exclude_background=True) '
                             'needs gt_sem_seg in every source data sample')
        label = F.interpolate(label[:, None].float(),
                              size=tuple(size),
                              mode='nearest')
        return label != self.ignore_index

    def draw_alpha(self, shape: Tuple[int, ...],
                   device: torch.device) -> Tensor:
        """Per-pixel mixing weights ``a = 1 - (1 - theta) u`` in (theta, 1].

        Drawn from the global RNG, so runs seeded by MMEngine repeat.
        """
        u = torch.rand(shape, device=device)
        return 1.0 - (1.0 - float(self.theta)) * u

    def plain_loss(self,
                   p_s: Tensor,
                   p_t: Tensor,
                   valid_s: Optional[Tensor] = None) -> Tensor:
        """Unmixed D loss ``(gan(D(p_s), 0; valid) + gan(D(p_t), 1)) / 2``.

        Args:
            p_s (Tensor): Source probabilities (N, C, hs, ws).
            p_t (Tensor): Target probabilities (M, C, ht, wt).
            valid_s (Tensor, optional): Source mask (N, 1, hs, ws).
        """
        disc = self.distributed(self.discriminator)
        loss_s = gan_loss(disc(p_s), SOURCE_LABEL, self.gan_mode, valid_s)
        loss_t = gan_loss(disc(p_t), TARGET_LABEL, self.gan_mode)
        return (loss_s + loss_t) / 2

    def mixed_loss(self,
                   p_s: Tensor,
                   p_t: Tensor,
                   alpha: Tensor,
                   valid_s: Optional[Tensor] = None) -> Tensor:
        """D loss on the mixture, maps already of a common size.

        Args:
            p_s (Tensor): Source probabilities (N, C, h, w).
            p_t (Tensor): Target probabilities (N, C, h, w).
            alpha (Tensor): Mixing weights (N, 1, h, w).
            valid_s (Tensor, optional): Source mask (N, 1, h, w).
        """
        m1, label1, m2, label2 = mix(p_s, p_t, alpha)
        mask1 = mask2 = None
        if valid_s is not None:
            # excluded only where the background pixel has a non-zero share
            mask1 = valid_s | (alpha == 0)
            mask2 = valid_s | (alpha == 1)
        disc = self.distributed(self.discriminator)
        loss1 = gan_loss(disc(m1), label1, self.gan_mode, mask1)
        loss2 = gan_loss(disc(m2), label2, self.gan_mode, mask2)
        return (loss1 + loss2) / 2

    def _random_crop(self, tensors: List[Optional[Tensor]],
                     size: Tuple[int, int]) -> List[Optional[Tensor]]:
        """Crop same-sized maps with one random window of ``size``."""
        height, width = tensors[0].shape[-2:]
        top = int(torch.randint(0, height - size[0] + 1, ()))
        left = int(torch.randint(0, width - size[1] + 1, ()))
        return [
            None if t is None else t[..., top:top + size[0],
                                     left:left + size[1]] for t in tensors
        ]

    def _common_size(
            self, p_s: Tensor, p_t: Tensor, valid_s: Optional[Tensor],
            align_corners: bool) -> Tuple[Tensor, Tensor, Optional[Tensor]]:
        """Bring source, its mask and target to ``min`` of both sizes."""
        height = min(p_s.shape[2], p_t.shape[2])
        width = min(p_s.shape[3], p_t.shape[3])
        size = (height, width)
        if self.align == 'crop':
            if tuple(p_s.shape[2:]) != size:
                p_s, valid_s = self._random_crop([p_s, valid_s], size)
            if tuple(p_t.shape[2:]) != size:
                p_t, = self._random_crop([p_t], size)
            return p_s, p_t, valid_s
        if tuple(p_s.shape[2:]) != size:
            p_s = F.interpolate(p_s,
                                size,
                                mode='bilinear',
                                align_corners=align_corners)
            if valid_s is not None:
                valid_s = F.interpolate(valid_s.float(), size,
                                        mode='nearest') > 0.5
        if tuple(p_t.shape[2:]) != size:
            p_t = F.interpolate(p_t,
                                size,
                                mode='bilinear',
                                align_corners=align_corners)
        return p_s, p_t, valid_s

    def discriminator_loss(self, source: DomainOutputs,
                           target: DomainOutputs) -> Tensor:
        """The local D loss of one step (see the class docstring)."""
        self._check_theta()
        # detach: the D step must never reach G, whatever the caller passed
        p_s = self.probs(source).detach()
        p_t = self.probs(target).detach()
        valid_s = self.source_valid(source, p_s.shape[2:])
        if float(self.theta) >= 1.0:
            return self.plain_loss(p_s, p_t, valid_s)
        if p_s.shape[0] != p_t.shape[0]:
            raise ValueError(
                'LocalAdversarial mixing needs equal source and target batch '
                f'sizes, got {p_s.shape[0]} and {p_t.shape[0]}')
        p_s, p_t, valid_s = self._common_size(p_s, p_t, valid_s,
                                              source.align_corners)
        alpha = self.draw_alpha((p_s.shape[0], 1, *p_s.shape[2:]), p_s.device)
        return self.mixed_loss(p_s, p_t, alpha, valid_s)

    def generator_loss(self, source: DomainOutputs,
                       target: DomainOutputs) -> Dict[str, Tensor]:
        """``loss_adv_local = w * gan(D(p_t), SOURCE_LABEL)`` per pixel.

        D must be frozen by the caller so that only G gets gradients.
        """
        logits = self.discriminator(self.probs(target))
        return {
            'loss_adv_local':
            self.loss_weight * gan_loss(logits, SOURCE_LABEL, self.gan_mode)
        }

    def update(self, source: DomainOutputs, target: DomainOutputs,
               optim_wrapper: OptimWrapperDict,
               name: str) -> Dict[str, Tensor]:
        """One optimizer step of D on detached predictions.

        Returns:
            dict[str, Tensor]: ``loss_d_local`` (detached).
        """
        wrapper = optim_wrapper[f'{name}.discriminator']
        with requires_grad(self.discriminator.parameters(), True):
            # forward in the wrapper's context (AMP, DDP no_sync), step
            # outside it as MMEngine's BaseModel.train_step does
            with wrapper.optim_context(self.discriminator):
                loss = self.discriminator_loss(source, target)
            wrapper.update_params(loss)
        return {'loss_d_local': loss.detach()}

    def debug_maps(self, source: DomainOutputs,
                   target: DomainOutputs) -> List[DebugMap]:
        """The pixel-level D's confidence "target" on each (unmixed) domain
        at the input size; source background pixels excluded from D's loss
        are drawn at 0.5 when ``exclude_background``."""
        maps = []
        for domain, outputs in (('source', source), ('target', target)):
            probs = self.probs(outputs)
            prob = target_probability(self.discriminator(probs),
                                      self.gan_mode)
            if domain == 'source':
                valid = self.source_valid(outputs, prob.shape[2:])
                if valid is not None:
                    prob = torch.where(valid, prob, torch.full_like(prob, .5))
            prob = F.interpolate(prob,
                                 size=outputs.inputs.shape[2:],
                                 mode='nearest')
            maps.append(DebugMap(domain, 'local D P(target)', 'heat',
                                 prob[:, 0]))
        return maps
