"""Label-driven reconstruction (LDR, SPEC 4.3)."""
import copy
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapperDict
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor

from mmseg_uda.structures import DebugMap
from ..losses import GAN_MODES
from ..reconstruction.conditional_gan_losses import (discriminator_loss,
                                                     generator_terms)
from ..utils import boltzmann_softmax, requires_grad, scaled_size
from .base_aligner import BaseAligner
from .domain_outputs import DomainOutputs

DOMAINS = ('source', 'target')
#: What M reconstructs from: the Boltzmann label map (the method) or G's
#: raw output "features" (the feature-space baseline of Table 5).
INPUT_SPACES = ('label', 'feature')


@MODELS.register_module()
class LabelReconstruction(BaseAligner):
    """Reconstruct each input image from G's predicted label map.

    For every domain phi in ``domains`` (the paper uses both: source and
    translated target, Eq. (6)):

    1. ``Omega = boltzmann_softmax(z, T)`` (Eq. (3), fp32), with ``z`` G's
       ``level`` logits bilinearly resized to the reconstruction size
       (input size times ``rec_scale``, rounded to a multiple of
       ``size_divisor``);
    2. ``X`` = G's input image de-normalised (``input_norm``) to RGB in
       [-1, 1] and resized to the same size; for the target this is the
       target->source translated image that the target dataset reads;
    3. M (``reconstructor``, a ResNet generator with C input channels and a
       tanh output) gives ``M(Omega)``; three conditional PatchGANs D_k
       (``discriminator``, scales 1, 1/2, 1/4) see ``concat(Omega, image)``.

    Loss minimised by G and M in G's step (:meth:`generator_loss`), Eq. (6)
    read as ``alpha * L_adv + beta * L_rec``::

        loss_adv_<phi> = alpha * sum_k gan(D_k(Omega, M(Omega)), real)
        loss_vgg_<phi> = beta * VGG19-perceptual-L1(M(Omega), X)
        loss_fm_<phi>  = beta * sum_k sum_n |D_k^n(Omega, X) -
                                             D_k^n(Omega, M(Omega))|

    M is a *joint* module: it is not frozen in G's step and its optimizer
    (``'<name>.reconstructor'``) steps together with G's. The D_k maximise
    Eq. (4) in :meth:`update` (unweighted: alpha scales only the min
    player's term; the D step uses Adam, which a constant factor does not
    change). The VGG-19 inside ``perceptual_loss`` is a frozen loss network
    with no optimizer key.

    Args:
        num_classes (int): Channels of G's logits (C).
        level (str): Prediction level to reconstruct from. Default: 'main'.
        domains (Sequence[str]): Subset of ('source', 'target'). Default:
            both (paper Eq. (6)).
        temperature (float): T of Eq. (3). Default: 1e-3.
        input_space (str): ``'label'`` (Omega, the method) or
            ``'feature'`` (G's raw logits, Table 5 baseline).
            Default: 'label'.
        adv_weight (float): alpha: 1e-3 for ResNet-101, 1e-2 for VGG-16.
            Default: 1e-3.
        rec_weight (float): beta. Default: 10.
        gan_mode (str): ``'bce'`` (Eq. (4)'s log loss) or ``'lsgan'``.
            Default: 'bce'.
        rec_scale (float): Reconstruction size / input size (memory).
            Default: 1.0.
        size_divisor (int): The reconstruction size is rounded to a multiple
            of this (M halves the size twice). Default: 4.
        input_norm (dict): ``mean``, ``std`` (in G's input channel order)
            and ``bgr_to_rgb`` of G's data preprocessor, to recover the
            images; other keys of a ``SegDataPreProcessor`` config are
            ignored. Default: ImageNet mean/std, BGR->RGB.
        reconstructor (dict): Config of M; ``in_channels`` (C) and
            ``out_channels`` (3) are filled in. Default: ResnetGenerator,
            9 blocks.
        discriminator (dict): Config of the multi-scale D; ``in_channels``
            (C + 3) is filled in. Default: MultiScalePatchDiscriminator,
            3 scales.
        perceptual_loss (dict, optional): VGG loss config, None to drop the
            term. Default: ``dict(type='PerceptualLoss')`` (random VGG-19;
            real configs set its ImageNet ``init_cfg``).
        feature_matching_loss (dict, optional): Config, None to drop the
            term. Default: ``dict(type='FeatureMatchingLoss')``.
        active (bool): See :class:`BaseAligner`. Default: True.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    optim_modules = ('reconstructor', 'discriminator')
    joint_modules = ('reconstructor', )

    def __init__(self,
                 num_classes: int,
                 level: str = 'main',
                 domains: Sequence[str] = DOMAINS,
                 temperature: float = 1e-3,
                 input_space: str = 'label',
                 adv_weight: float = 1e-3,
                 rec_weight: float = 10.0,
                 gan_mode: str = 'bce',
                 rec_scale: float = 1.0,
                 size_divisor: int = 4,
                 input_norm: dict = dict(mean=[123.675, 116.28, 103.53],
                                         std=[58.395, 57.12, 57.375],
                                         bgr_to_rgb=True),
                 reconstructor: dict = dict(type='ResnetGenerator',
                                            num_blocks=9),
                 discriminator: dict = dict(
                     type='MultiScalePatchDiscriminator', num_scales=3),
                 perceptual_loss: Optional[dict] = dict(
                     type='PerceptualLoss'),
                 feature_matching_loss: Optional[dict] = dict(
                     type='FeatureMatchingLoss'),
                 active: bool = True,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(active=active, init_cfg=init_cfg)
        domains = tuple(domains)
        if not domains or set(domains) - set(DOMAINS) or \
                len(set(domains)) != len(domains):
            raise ValueError('LabelReconstruction domains must be a non-empty'
                             f' subset of {DOMAINS}, got {domains}')
        if input_space not in INPUT_SPACES:
            raise ValueError(f'LabelReconstruction input_space must be one of'
                             f' {INPUT_SPACES}, got {input_space!r}')
        if gan_mode not in GAN_MODES:
            raise ValueError(f'LabelReconstruction gan_mode must be one of '
                             f'{GAN_MODES}, got {gan_mode!r}')
        if not temperature > 0 or not rec_scale > 0 or size_divisor < 1:
            raise ValueError(
                'LabelReconstruction needs temperature > 0, rec_scale > 0 '
                f'and size_divisor >= 1, got {temperature}, {rec_scale}, '
                f'{size_divisor}')
        missing = {'mean', 'std', 'bgr_to_rgb'} - set(input_norm)
        if missing:
            raise ValueError(f'LabelReconstruction input_norm lacks '
                             f'{sorted(missing)}; give the mean, std and '
                             "bgr_to_rgb of G's data_preprocessor")
        self.num_classes = num_classes
        self.level = level
        self.domains = domains
        self.temperature = float(temperature)
        self.input_space = input_space
        self.adv_weight = float(adv_weight)
        self.rec_weight = float(rec_weight)
        self.gan_mode = gan_mode
        self.rec_scale = float(rec_scale)
        self.size_divisor = int(size_divisor)
        self.bgr_to_rgb = bool(input_norm['bgr_to_rgb'])
        for key in ('mean', 'std'):
            value = torch.tensor(input_norm[key], dtype=torch.float32)
            if value.numel() != 3:
                raise ValueError(f'LabelReconstruction input_norm.{key} '
                                 f'must have 3 values, got {value.tolist()}')
            self.register_buffer(f'input_{key}',
                                 value.view(1, 3, 1, 1),
                                 persistent=False)

        m_cfg = copy.deepcopy(reconstructor)
        m_cfg.update(in_channels=num_classes, out_channels=3)
        self.reconstructor = MODELS.build(m_cfg)
        d_cfg = copy.deepcopy(discriminator)
        d_cfg['in_channels'] = num_classes + 3
        self.discriminator = MODELS.build(d_cfg)
        self.perceptual_loss = (None if perceptual_loss is None else
                                MODELS.build(perceptual_loss))
        self.feature_matching_loss = (None if feature_matching_loss is None
                                      else MODELS.build(feature_matching_loss))
        # (condition, image, reconstruction) per domain from G's step,
        # detached, for the D step of the same iteration.
        self._fakes: Dict[str, Tuple[Tensor, Tensor, Tensor]] = {}

    # ------------------------------------------------------------------
    def rec_size(self, outputs: DomainOutputs) -> Tuple[int, int]:
        """Input size * rec_scale, rounded (half up) to size_divisor."""
        return scaled_size(outputs.inputs.shape[2:], self.rec_scale,
                           self.size_divisor)

    def images(self, outputs: DomainOutputs) -> Tensor:
        """G's input images as RGB in [-1, 1] at the reconstruction size.

        Returns:
            Tensor: (N, 3, h, w) fp32, no gradient.
        """
        x = outputs.inputs.detach().float()
        x = x * self.input_std + self.input_mean  # 0..255
        if not self.bgr_to_rgb:
            # G reads BGR (e.g. Caffe weights); M and VGG use RGB.
            x = x.flip(1)
        x = x / 127.5 - 1.0
        size = self.rec_size(outputs)
        if tuple(x.shape[2:]) != size:
            x = F.interpolate(x,
                              size=size,
                              mode='bilinear',
                              align_corners=False,
                              antialias=size[0] < x.shape[2])
        return x.clamp(-1.0, 1.0)

    def condition(self, outputs: DomainOutputs) -> Tensor:
        """M's input: Omega (or raw logits) at the reconstruction size.

        Returns:
            Tensor: (N, C, h, w) fp32, connected to G's logits.
        """
        if self.level not in outputs.logits:
            raise ValueError(
                f'LabelReconstruction reconstructs from level '
                f'{self.level!r}, but G produced {outputs.levels}')
        logits = outputs.logits[self.level]
        if logits.shape[1] != self.num_classes:
            raise ValueError(
                f'LabelReconstruction expects {self.num_classes}-channel '
                f'logits, got {tuple(logits.shape)}')
        size = self.rec_size(outputs)
        with torch.autocast(device_type=logits.device.type, enabled=False):
            logits = F.interpolate(logits.float(),
                                   size=size,
                                   mode='bilinear',
                                   align_corners=outputs.align_corners)
            if self.input_space == 'feature':
                return logits
            return boltzmann_softmax(logits, self.temperature, dim=1)

    def _domains(self, source: DomainOutputs,
                 target: DomainOutputs) -> Dict[str, DomainOutputs]:
        both = dict(source=source, target=target)
        return {d: both[d] for d in self.domains}

    def _reconstruct(self, condition: Tensor) -> Tensor:
        """M(condition) through M's DDP wrapper (M is trained by G's loss)."""
        fake = self.distributed(self.reconstructor)(condition)
        if fake.shape[2:] != condition.shape[2:] or fake.shape[1] != 3:
            raise ValueError(
                f'LabelReconstruction: the reconstructor maps '
                f'{tuple(condition.shape)} to {tuple(fake.shape)}; expected '
                'an RGB image of the same size (is the size a multiple of '
                'size_divisor?)')
        return fake

    def debug_maps(self, source: DomainOutputs,
                   target: DomainOutputs) -> List[DebugMap]:
        """M's image reconstructed from G's prediction, per domain
        (G's input beside it is the translated image where the config
        reads translated images)."""
        maps = []
        for domain, outputs in self._domains(source, target).items():
            fake = self.reconstructor(self.condition(outputs))
            maps.append(
                DebugMap(domain, 'reconstruction from labels', 'rgb',
                         ((fake.float() + 1) / 2).clamp(0, 1)))
        return maps

    # ------------------------------------------------------------------
    def generator_loss(self, source: DomainOutputs,
                       target: DomainOutputs) -> Dict[str, Tensor]:
        """``loss_{adv,vgg,fm}_<domain>`` for G and M (see class doc).

        The discriminator must be frozen by the caller (UDASegmentor);
        M must not be (it is a joint module).
        """
        losses: Dict[str, Tensor] = {}
        self._fakes = {}
        for domain, outputs in self._domains(source, target).items():
            condition = self.condition(outputs)
            image = self.images(outputs)
            fake = self._reconstruct(condition)
            # D_k frozen: called directly, not through DDP.
            terms = generator_terms(condition, image, fake,
                                    self.discriminator, self.perceptual_loss,
                                    self.feature_matching_loss, self.gan_mode)
            losses[f'loss_adv_{domain}'] = self.adv_weight * terms['adv']
            for name in ('vgg', 'fm'):
                if name in terms:
                    losses[f'loss_{name}_{domain}'] = (self.rec_weight *
                                                       terms[name])
            self._fakes[domain] = (condition.detach(), image, fake.detach())
        return losses

    def update(self, source: DomainOutputs, target: DomainOutputs,
               optim_wrapper: OptimWrapperDict,
               name: str) -> Dict[str, Tensor]:
        """One step of the D_k on real and reconstructed pairs.

        Uses the reconstructions of this iteration's G step; if there are
        none (``update`` called alone) M is run again without gradients.

        Returns:
            dict[str, Tensor]: ``loss_d_<domain>`` (detached).
        """
        fakes, self._fakes = self._fakes, {}
        wrapper = optim_wrapper[f'{name}.discriminator']
        log_vars: Dict[str, Tensor] = {}
        total: Optional[Tensor] = None
        with requires_grad(self.discriminator.parameters(), True):
            with wrapper.optim_context(self.discriminator):
                disc = self.distributed(self.discriminator)
                for domain, outputs in self._domains(source, target).items():
                    if domain in fakes:
                        condition, image, fake = fakes[domain]
                    else:
                        with torch.no_grad():
                            condition = self.condition(outputs)
                            image = self.images(outputs)
                            fake = self.reconstructor(condition)
                    loss = discriminator_loss(condition, image, fake, disc,
                                              self.gan_mode)
                    log_vars[f'loss_d_{domain}'] = loss.detach()
                    total = loss if total is None else total + loss
            wrapper.update_params(total)
        return log_vars
