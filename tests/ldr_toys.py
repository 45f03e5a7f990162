"""Tiny stand-ins for LDR's networks (M and a PatchGAN) in unit tests.

They follow the interfaces of ``ResnetGenerator`` (``forward(x)`` -> tanh
image of the same size) and ``PatchDiscriminator`` (``forward(x,
return_features)`` -> logits or (logits, features)) at a few hundred
parameters, so aligner tests run in milliseconds.
"""
import torch
from mmengine.model import BaseModule
from torch import nn

import mmseg_uda  # noqa: F401,I001  (mmcv-lite shim before mmseg)
from mmseg.registry import MODELS


@MODELS.register_module(force=True)
class LDRToyGenerator(BaseModule):
    """3x3 conv + tanh: (N, in, H, W) -> (N, out, H, W) in [-1, 1]."""

    def __init__(self, in_channels=3, out_channels=3, init_cfg=None,
                 **kwargs):
        super().__init__(init_cfg=init_cfg)
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)

    def forward(self, x):
        return torch.tanh(self.conv(x))


@MODELS.register_module(force=True)
class LDRToyPatchDiscriminator(nn.Module):
    """4x4/2 conv, LeakyReLU, 3x3 conv to one logit map."""

    def __init__(self, in_channels, base_channels=4, **kwargs):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, base_channels, 4, 2, 1)
        self.act = nn.LeakyReLU(0.2)
        self.conv2 = nn.Conv2d(base_channels, 1, 3, 1, 1)

    def forward(self, x, return_features=False):
        f1 = self.act(self.conv1(x))
        logits = self.conv2(f1)
        return (logits, [f1]) if return_features else logits


TOY_M = dict(type='LDRToyGenerator')
TOY_D = dict(type='MultiScalePatchDiscriminator',
             num_scales=3,
             discriminator=dict(type='LDRToyPatchDiscriminator'))
#: The VGG-19 keeps its real widths; tests keep images tiny instead
#: (32x32 -> relu5_1 at 2x2).
TOY_VGG_LOSS = dict(type='PerceptualLoss')
