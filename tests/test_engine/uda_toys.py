"""A tiny UDASegmentor with a toy adversarial aligner for engine tests."""
import copy

import torch
import torch.nn.functional as F
from torch import nn

import mmseg_uda  # noqa: F401,I001  (mmcv-lite shim before mmseg)
from mmseg.registry import MODELS
from mmseg_uda.models.aligners import BaseAligner

NUM_CLASSES = 19


@MODELS.register_module(force=True)
class ToyEngineAligner(BaseAligner):
    """Output-space adversarial term with a one-conv discriminator.

    G loss ``weight * BCE(D(softmax(up(target))), 0)``; D loss
    ``(BCE(D(p_s), 0) + BCE(D(p_t), 1)) / 2``. Deterministic (no sampling),
    so resumed and uninterrupted runs can be compared exactly.
    """
    optim_modules = ('discriminator', )

    def __init__(self, num_classes=NUM_CLASSES, weight=0.1, active=True):
        super().__init__(active=active)
        self.discriminator = nn.Conv2d(num_classes, 1, 3, padding=1)
        self.weight = weight

    def _d(self, outputs):
        return self.discriminator(
            F.softmax(outputs.upsampled_logits('main'), dim=1))

    def generator_loss(self, source, target):
        d_t = self._d(target)
        return dict(
            loss_adv=self.weight *
            F.binary_cross_entropy_with_logits(d_t, torch.zeros_like(d_t)))

    def update(self, source, target, optim_wrapper, name):
        wrapper = optim_wrapper[f'{name}.discriminator']
        with wrapper.optim_context(self.discriminator):
            d_s, d_t = self._d(source), self._d(target)
            loss = 0.5 * (
                F.binary_cross_entropy_with_logits(d_s,
                                                   torch.zeros_like(d_s)) +
                F.binary_cross_entropy_with_logits(d_t, torch.ones_like(d_t)))
        wrapper.update_params(loss)
        return dict(loss_d=loss)


_SEGMENTOR = dict(type='EncoderDecoder',
                  data_preprocessor=dict(type='SegDataPreProcessor',
                                         mean=[123.675, 116.28, 103.53],
                                         std=[58.395, 57.12, 57.375],
                                         bgr_to_rgb=True,
                                         pad_val=0,
                                         seg_pad_val=255,
                                         size_divisor=1),
                  backbone=dict(type='DLV2ResNet',
                                depth=18,
                                base_channels=8,
                                stem_channels=8,
                                out_indices=(0, 1, 2, 3),
                                strides=(1, 2, 1, 1),
                                dilations=(1, 1, 2, 4),
                                norm_cfg=dict(type='BN', requires_grad=True),
                                init_cfg=None),
                  decode_head=dict(type='DLV2Head',
                                   in_channels=64,
                                   in_index=3,
                                   dilations=(1, 2),
                                   num_classes=NUM_CLASSES,
                                   align_corners=True,
                                   loss_decode=dict(type='CrossEntropyLoss',
                                                    loss_weight=1.0)),
                  auxiliary_head=dict(type='DLV2Head',
                                      in_channels=32,
                                      in_index=2,
                                      dilations=(1, 2),
                                      num_classes=NUM_CLASSES,
                                      align_corners=True,
                                      loss_decode=dict(type='CrossEntropyLoss',
                                                       loss_weight=0.1)),
                  train_cfg=dict(),
                  test_cfg=dict(mode='whole'))


def model_cfg(aligners=None):
    """Config of a tiny UDASegmentor (aligner name -> ToyEngineAligner)."""
    if aligners is None:
        aligners = dict(adv=dict(type='ToyEngineAligner'))
    return dict(type='UDASegmentor',
                segmentor=copy.deepcopy(_SEGMENTOR),
                aligners=aligners)


def optim_cfg(**extra):
    """The UDA optim_wrapper config: SGD for G (heads 10x), Adam for D."""
    cfg = dict(constructor='UDAOptimWrapperConstructor',
               segmentor=dict(type='OptimWrapper',
                              optimizer=dict(type='SGD',
                                             lr=0.01,
                                             momentum=0.9,
                                             weight_decay=5e-4),
                              paramwise_cfg=dict(
                                  custom_keys={
                                      'decode_head': dict(lr_mult=10.),
                                      'auxiliary_head': dict(lr_mult=10.)
                                  })))
    cfg['adv.discriminator'] = dict(type='OptimWrapper',
                                    optimizer=dict(type='Adam',
                                                   lr=1e-4,
                                                   betas=(0.9, 0.99)))
    cfg.update(extra)
    return cfg
