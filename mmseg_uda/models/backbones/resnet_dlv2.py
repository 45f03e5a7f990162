"""Caffe-style ResNet of DeepLab-v2 (SPEC section 3, network G)."""
from typing import Sequence

import torch.nn as nn
from mmseg.models.backbones import ResNet
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType


@MODELS.register_module()
class DLV2ResNet(ResNet):
    """ResNet of DeepLab-v2 as used by the UDA baselines (AdaptSegNet, ADVENT,
    BDL, SIM).

    Differs from mmseg's ``ResNet`` only in the stem: the 3x3/2 max-pool
    (padding 1) uses ``ceil_mode=True`` like the Caffe original, which adds
    one row/column for some input sizes. The remaining DeepLab-v2 choices are
    the defaults of this class:

    * single 7x7/2 stem conv (``deep_stem=False``);
    * ``style='caffe'``: the stride sits on the first 1x1 conv of each
      bottleneck;
    * strides (1, 2, 1, 1) and dilations (1, 1, 2, 4) applied to EVERY block
      of stages 3/4 (``contract_dilation=False``): output stride 8;
    * BN affine parameters frozen (``norm_cfg=dict(type='BN',
      requires_grad=False)``).

    Feature size at stride 8 for an input side H: stem conv
    ``h1 = ceil(H / 2)``, max-pool ``h2 = ceil((h1 - 1) / 2) + 1``, stage-2
    1x1/2 conv ``h3 = floor((h2 - 1) / 2) + 1``; e.g. 1280x720 -> 161x91 and
    1024x512 -> 129x65 (W x H), as in the reference code.

    ``norm_eval=False`` (default) reproduces the reference code: BN layers
    stay in train mode, so they normalise with batch statistics and keep
    updating their running statistics although gamma/beta are frozen.
    ``norm_eval=True`` freezes the statistics too (the stated intent of the
    AdaptSegNet authors).

    Args:
        depth (int): ResNet depth, one of mmseg's {18, 34, 50, 101, 152}.
            Default: 101.
        style (str): ``'caffe'`` or ``'pytorch'``. Default: ``'caffe'``.
        strides (Sequence[int]): Stride of the first block of each stage.
            Default: (1, 2, 1, 1).
        dilations (Sequence[int]): Dilation of each stage.
            Default: (1, 1, 2, 4).
        contract_dilation (bool): Halve the dilation of the first block of a
            dilated stage (mmseg ``ResNetV1c`` recipe). Default: False.
        norm_cfg (dict): Norm layer config.
            Default: ``dict(type='BN', requires_grad=False)``.
        norm_eval (bool): Put BN layers in eval mode during training.
            Default: False.
        pool_ceil_mode (bool): ``ceil_mode`` of the stem max-pool.
            Default: True.
        **kwargs: Other arguments of :class:`mmseg.models.backbones.ResNet`.

    Inputs: ``(N, 3, H, W)``. Outputs: tuple of ``(N, C_i, H_i, W_i)`` for
    the stages in ``out_indices`` (C = 256, 512, 1024, 2048 for depth >= 50).
    """

    def __init__(self,
                 depth: int = 101,
                 style: str = 'caffe',
                 strides: Sequence[int] = (1, 2, 1, 1),
                 dilations: Sequence[int] = (1, 1, 2, 4),
                 contract_dilation: bool = False,
                 norm_cfg: ConfigType = dict(type='BN', requires_grad=False),
                 norm_eval: bool = False,
                 pool_ceil_mode: bool = True,
                 init_cfg: OptConfigType = None,
                 **kwargs) -> None:
        # Read by ``_make_stem_layer``, which ``ResNet.__init__`` calls.
        self.pool_ceil_mode = pool_ceil_mode
        super().__init__(depth=depth,
                         style=style,
                         strides=strides,
                         dilations=dilations,
                         contract_dilation=contract_dilation,
                         norm_cfg=norm_cfg,
                         norm_eval=norm_eval,
                         init_cfg=init_cfg,
                         **kwargs)

    def _make_stem_layer(self, in_channels: int, stem_channels: int) -> None:
        """Build mmseg's stem, then give the max-pool Caffe's ceil mode."""
        super()._make_stem_layer(in_channels, stem_channels)
        self.maxpool = nn.MaxPool2d(kernel_size=3,
                                    stride=2,
                                    padding=1,
                                    ceil_mode=self.pool_ceil_mode)
