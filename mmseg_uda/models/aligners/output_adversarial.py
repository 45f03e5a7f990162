"""Output-space adversarial alignment: AdaptSegNet / ADVENT (SPEC 2, 3)."""
import copy
from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from mmengine.model import ModuleDict
from mmengine.optim import OptimWrapperDict
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor

from mmseg_uda.structures import DebugMap
from ..losses import (GAN_MODES, SOURCE_LABEL, TARGET_LABEL, gan_loss,
                      self_information, target_probability)
from ..utils import requires_grad
from .base_aligner import BaseAligner
from .domain_outputs import DomainOutputs

INPUT_TYPES = ('softmax', 'entropy')


@MODELS.register_module()
class OutputAdversarial(BaseAligner):
    """Adversarial alignment of G's (multi-level) output space.

    One discriminator per prediction level (``main``, ``aux``) sees a map
    computed in fp32 from the level's logits upsampled to the input size
    (:meth:`DomainOutputs.upsampled_logits`): the softmax ``p``
    (AdaptSegNet, ``input='softmax'``) or ADVENT's weighted
    self-information ``-p log2 p / log2 C`` (``input='entropy'``).

    * G side (:meth:`generator_loss`):
      ``sum_l w_l * gan(D_l(x_t^l), SOURCE_LABEL)``: G is rewarded when the
      target prediction looks like source. Levels that G does not produce
      (a single-level model has no ``aux``) are skipped.
    * D side (:meth:`update`): per level
      ``(gan(D_l(x_s^l), 0) + gan(D_l(x_t^l), 1)) / 2`` on detached
      predictions, summed over levels, one optimizer step.

    All discriminators live in ``self.discriminators`` (a ``ModuleDict``
    keyed by level) with ONE optimizer key ``'<name>.discriminators'``.
    One Adam over all of them is equivalent to AdaptSegNet's separate Adam
    per discriminator: the level losses share no parameter, so each
    discriminator's gradient is that of its own loss, and Adam's update is
    per parameter. (Only a global gradient clip would couple them.)

    Args:
        num_classes (int): Channels of G's logits.
        levels (dict[str, float]): Adversarial weight of each level.
            Default: ``dict(main=1e-3, aux=2e-4)`` (SPEC 3).
        input (str): ``'softmax'`` or ``'entropy'``. Default: 'softmax'.
        gan_mode (str): ``'bce'`` or ``'lsgan'``. Default: 'bce'.
        discriminator (dict): Config of each discriminator;
            ``in_channels`` defaults to ``num_classes``.
            Default: ``dict(type='FCDiscriminator')``.
        active (bool): See :class:`BaseAligner`. Default: True.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    optim_modules = ('discriminators', )

    def __init__(self,
                 num_classes: int,
                 levels: Dict[str, float] = dict(main=1e-3, aux=2e-4),
                 input: str = 'softmax',
                 gan_mode: str = 'bce',
                 discriminator: dict = dict(type='FCDiscriminator'),
                 active: bool = True,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(active=active, init_cfg=init_cfg)
        if input not in INPUT_TYPES:
            raise ValueError(f'OutputAdversarial input must be one of '
                             f'{INPUT_TYPES}, got {input!r}')
        if gan_mode not in GAN_MODES:
            raise ValueError(f'OutputAdversarial gan_mode must be one of '
                             f'{GAN_MODES}, got {gan_mode!r}')
        if not levels:
            raise ValueError('OutputAdversarial needs at least one level')
        self.num_classes = num_classes
        self.levels = dict(levels)
        self.input = input
        self.gan_mode = gan_mode
        discriminators = {}
        for level in self.levels:
            cfg = copy.deepcopy(discriminator)
            cfg.setdefault('in_channels', num_classes)
            discriminators[level] = MODELS.build(cfg)
        # MMEngine's ModuleDict: init_weights applies each D's init_cfg
        self.discriminators = ModuleDict(discriminators)

    def _disc_input(self, outputs: DomainOutputs, level: str) -> Tensor:
        """Softmax or self-information of the upsampled logits, fp32.

        Returns:
            Tensor: (N, num_classes, H, W) at the input size.
        """
        logits = outputs.upsampled_logits(level)
        if logits.shape[1] != self.num_classes:
            raise ValueError(
                f'OutputAdversarial expects {self.num_classes}-channel '
                f'logits at level {level!r}, got {tuple(logits.shape)}')
        with torch.autocast(device_type=logits.device.type, enabled=False):
            probs = F.softmax(logits.float(), dim=1)
            if self.input == 'entropy':
                return self_information(probs)
            return probs

    def _present_levels(self, *outputs: DomainOutputs) -> List[str]:
        """Configured levels that every given output has, in order."""
        present = [
            lvl for lvl in self.levels
            if all(lvl in out.logits for out in outputs)
        ]
        if not present:
            raise ValueError(
                f'OutputAdversarial levels {list(self.levels)} are all '
                'missing from the outputs, which have '
                f'{[out.levels for out in outputs]}')
        return present

    def generator_loss(self, source: DomainOutputs,
                       target: DomainOutputs) -> Dict[str, Tensor]:
        """``loss_adv_<level> = w * gan(D(x_t), SOURCE_LABEL)`` per level.

        The discriminators must be frozen by the caller (UDASegmentor) so
        that only G receives gradients.
        """
        losses = {}
        for level in self._present_levels(target):
            logits = self.discriminators[level](self._disc_input(
                target, level))
            losses[f'loss_adv_{level}'] = self.levels[level] * gan_loss(
                logits, SOURCE_LABEL, self.gan_mode)
        return losses

    def update(self, source: DomainOutputs, target: DomainOutputs,
               optim_wrapper: OptimWrapperDict,
               name: str) -> Dict[str, Tensor]:
        """One optimizer step of all discriminators on detached maps.

        Returns:
            dict[str, Tensor]: ``loss_d_<level>`` (detached) per level.
        """
        wrapper = optim_wrapper[f'{name}.discriminators']
        log_vars: Dict[str, Tensor] = {}
        total: Optional[Tensor] = None
        with requires_grad(self.discriminators.parameters(), True):
            # Forward inside the wrapper's context (AMP autocast, DDP
            # no_sync); backward and step outside it, as MMEngine does.
            with wrapper.optim_context(self.discriminators):
                for level in self._present_levels(source, target):
                    disc = self.distributed(self.discriminators[level])
                    # detach again: the D step must never reach G
                    x_s = self._disc_input(source, level).detach()
                    x_t = self._disc_input(target, level).detach()
                    loss = (
                        gan_loss(disc(x_s), SOURCE_LABEL, self.gan_mode) +
                        gan_loss(disc(x_t), TARGET_LABEL, self.gan_mode)) / 2
                    log_vars[f'loss_d_{level}'] = loss.detach()
                    total = loss if total is None else total + loss
            wrapper.update_params(total)
        return log_vars

    def debug_maps(self, source: DomainOutputs,
                   target: DomainOutputs) -> List[DebugMap]:
        """Each level's D confidence "target" on both domains, (N, H, W)
        at the input size (blue: looks like source, red: like target)."""
        maps = []
        for level in self._present_levels(source, target):
            for domain, outputs in (('source', source), ('target', target)):
                prob = target_probability(
                    self.discriminators[level](self._disc_input(
                        outputs, level)), self.gan_mode)
                prob = F.interpolate(prob,
                                     size=outputs.inputs.shape[2:],
                                     mode='bilinear',
                                     align_corners=False)
                maps.append(
                    DebugMap(domain, f'D_{level} P(target)', 'heat',
                             prob[:, 0]))
        return maps
