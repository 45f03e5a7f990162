"""Pretraining of LDR's reconstruction net M on source labels (SPEC 4.3)."""
import copy
from typing import Dict, List, Optional, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel, is_model_wrapper
from mmengine.optim import OptimWrapperDict
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig, SampleList
from torch import Tensor, nn

from ..losses import GAN_MODES
from ..utils import requires_grad, scaled_size
from .conditional_gan_losses import discriminator_loss, generator_terms


def _unwrap(module: nn.Module) -> nn.Module:
    return module.module if is_model_wrapper(module) else module


def one_hot_labels(labels: Tensor, num_classes: int,
                   ignore_index: int = 255) -> Tensor:
    """(N, H, W) class ids -> (N, C, H, W) fp32 one-hot.

    Ignored pixels get the all-zero vector: they show M "no class".

    Raises:
        ValueError: For ids outside [0, C) other than ``ignore_index``.
    """
    valid = labels != ignore_index
    bad = valid & ((labels < 0) | (labels >= num_classes))
    if bad.any():
        raise ValueError(
            f'one_hot_labels: label ids must lie in [0, {num_classes}) or be '
            f'{ignore_index}, got {labels[bad].unique().tolist()}')
    ids = torch.where(valid, labels, torch.zeros_like(labels)).long()
    onehot = F.one_hot(ids, num_classes).permute(0, 3, 1, 2).float()
    return onehot * valid.unsqueeze(1).float()


@MODELS.register_module()
class LabelToImage(BaseModel):
    """Train M to paint source images from their one-hot label maps.

    LDR pretrains its reconstruction network on source labels before the
    adaptation (paper Sec. 4.3: Adam 2e-4, betas (0.5, 0.999), lr linearly
    to 0). The objective is the one M is trained with during adaptation
    (:mod:`.conditional_gan_losses`, Eqs. (4)-(5)) with the one-hot ground
    truth as the label map::

        M:   adv_weight * sum_k gan(D_k(Y, M(Y)), real)
             + rec_weight * (VGG19-L1(M(Y), X) + FM(D(Y, X), D(Y, M(Y))))
        D_k: sum_k (gan(D_k(Y, X), real) + gan(D_k(Y, M(Y)), fake)) / 2

    so both M and the D_k can be loaded into a ``LabelReconstruction``
    aligner: the state-dict prefixes are ``reconstructor.`` and
    ``discriminator.``, e.g. ``reconstructor=dict(type='ResnetGenerator',
    ..., init_cfg=dict(type='Pretrained', checkpoint=<ckpt>,
    prefix='reconstructor.'))``.

    The data preprocessor maps images to RGB in [-1, 1] (mean = std =
    127.5, ``bgr_to_rgb=True``), M's tanh range, and pads to a multiple of
    4 (M halves the size twice; padded labels are ignored).

    Optimizer keys: ``'reconstructor'`` and ``'discriminator'`` (an
    ``OptimWrapperDict``, MMEngine's default constructor builds it from a
    dict config with ``constructor='UDAOptimWrapperConstructor'``). For
    several GPUs use ``model_wrapper_cfg =
    dict(type='MMSeparateDistributedDataParallel')``.

    Args:
        num_classes (int): Label classes (C), M's input channels.
        reconstructor (dict): Config of M (``in_channels``/``out_channels``
            are filled in). Default: ResnetGenerator, 9 blocks.
        discriminator (dict): Multi-scale D (``in_channels`` = C + 3).
        perceptual_loss (dict, optional): None drops the VGG term.
        feature_matching_loss (dict, optional): None drops the FM term.
        adv_weight (float): Weight of M's adversarial term. Default: 1.
        rec_weight (float): Weight of the VGG and FM terms. Default: 10
            (pix2pixHD's balance, whose losses LDR adopts).
        gan_mode (str): ``'bce'`` or ``'lsgan'``. Default: 'bce'.
        rec_scale (float): Training size / input size. Default: 1.0.
        size_divisor (int): The training size is rounded to a multiple of
            this (M halves the size twice). Default: 4.
        ignore_index (int): Label of unlabelled pixels. Default: 255.
        data_preprocessor (dict, optional): Default: [-1, 1] RGB as above.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    def __init__(self,
                 num_classes: int,
                 reconstructor: dict = dict(type='ResnetGenerator',
                                            num_blocks=9),
                 discriminator: dict = dict(
                     type='MultiScalePatchDiscriminator', num_scales=3),
                 perceptual_loss: Optional[dict] = dict(
                     type='PerceptualLoss'),
                 feature_matching_loss: Optional[dict] = dict(
                     type='FeatureMatchingLoss'),
                 adv_weight: float = 1.0,
                 rec_weight: float = 10.0,
                 gan_mode: str = 'bce',
                 rec_scale: float = 1.0,
                 size_divisor: int = 4,
                 ignore_index: int = 255,
                 data_preprocessor: Optional[dict] = dict(
                     type='SegDataPreProcessor',
                     mean=[127.5, 127.5, 127.5],
                     std=[127.5, 127.5, 127.5],
                     bgr_to_rgb=True,
                     pad_val=0,
                     seg_pad_val=255,
                     # M halves the size twice; padded pixels are ignored
                     size_divisor=4),
                 init_cfg: OptMultiConfig = None) -> None:
        if data_preprocessor is not None:
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        if gan_mode not in GAN_MODES:
            raise ValueError(f'LabelToImage gan_mode must be one of '
                             f'{GAN_MODES}, got {gan_mode!r}')
        if not rec_scale > 0 or size_divisor < 1:
            raise ValueError(f'LabelToImage needs rec_scale > 0 and '
                             f'size_divisor >= 1, got {rec_scale}, '
                             f'{size_divisor}')
        self.num_classes = num_classes
        self.adv_weight = float(adv_weight)
        self.rec_weight = float(rec_weight)
        self.gan_mode = gan_mode
        self.rec_scale = float(rec_scale)
        self.size_divisor = int(size_divisor)
        self.ignore_index = ignore_index
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

    def pairs(self, inputs: Tensor, data_samples: SampleList):
        """(one-hot label map, image) at the training size.

        Returns:
            tuple[Tensor, Tensor]: (N, C, h, w) and (N, 3, h, w) fp32.
        """
        if not all('gt_sem_seg' in s for s in data_samples):
            raise ValueError('LabelToImage trains on labelled images; a '
                             'sample has no gt_sem_seg (is LoadAnnotations '
                             'in the pipeline?)')
        labels = torch.stack([s.gt_sem_seg.data[0] for s in data_samples])
        image = inputs.float()
        size = scaled_size(image.shape[2:], self.rec_scale,
                           self.size_divisor)
        if size != tuple(image.shape[2:]):
            image = F.interpolate(image,
                                  size=size,
                                  mode='bilinear',
                                  align_corners=False,
                                  antialias=size[0] < image.shape[2])
            labels = F.interpolate(labels[:, None].float(), size=size,
                                   mode='nearest')[:, 0].long()
        onehot = one_hot_labels(labels.to(image.device), self.num_classes,
                                self.ignore_index)
        return onehot, image

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """One M step (D frozen), then one D step on the detached output."""
        data = self.data_preprocessor(data, True)
        condition, image = self.pairs(data['inputs'], data['data_samples'])
        m_wrapper = optim_wrapper['reconstructor']
        d_wrapper = optim_wrapper['discriminator']
        disc_params = list(self.discriminator.parameters())

        with requires_grad(disc_params, False):
            with m_wrapper.optim_context(self.reconstructor):
                fake = self.reconstructor(condition)
                terms = generator_terms(condition, image, fake,
                                        _unwrap(self.discriminator),
                                        self.perceptual_loss,
                                        self.feature_matching_loss,
                                        self.gan_mode)
                losses = {'loss_adv': self.adv_weight * terms['adv']}
                for name in ('vgg', 'fm'):
                    if name in terms:
                        losses[f'loss_{name}'] = self.rec_weight * terms[name]
            loss, log_vars = self.parse_losses(losses)
            m_wrapper.update_params(loss)

        with d_wrapper.optim_context(self.discriminator):
            loss_d = discriminator_loss(condition, image, fake,
                                        self.discriminator, self.gan_mode)
        d_wrapper.update_params(loss_d)
        log_vars['loss_d'] = loss_d.detach()
        return log_vars

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor') -> Union[Tensor, List]:
        """``'tensor'``: reconstructions (N, 3, h, w) in [-1, 1] of the
        samples' labels; training goes through :meth:`train_step`."""
        if mode != 'tensor' or data_samples is None:
            raise NotImplementedError(
                "LabelToImage supports forward(inputs, data_samples, "
                "mode='tensor') and train_step only")
        condition, _ = self.pairs(inputs, data_samples)
        return self.reconstructor(condition)
