"""DAFormer's decoder: multi-level embedding and context-aware fusion."""
from typing import List, Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class DAFormerHead(BaseDecodeHead):
    """DAFormer decoder head (Hoyer et al., CVPR 2022, Sec. 3.2, Fig. 3).

    For encoder levels ``F_i`` (strides 4, 8, 16, 32 for MiT)::

        E_i = Linear_i(F_i)                     (1x1 conv to embed_dims)
        E   = concat_i upsample(E_i, size of F_1)      (L * embed_dims)
        B_d = DWSepConv3x3_d(E) for d in dilations     (channels each)
        out = cls(ConvModule1x1(concat_d B_d))         (context-aware fusion)

    Decisions (the paper names the parts, not every layer): the level
    embeddings are plain linear layers (no norm, no activation), each
    fusion branch is a 3x3 depthwise separable convolution with norm and
    activation, and the 1x1 fusion has norm and activation too.

    Args:
        embed_dims (int): Channels of each level's embedding. Default: 256.
        dilations (Sequence[int]): Dilations of the fusion branches.
            Default: (1, 6, 12, 18).
        **kwargs: ``BaseDecodeHead`` arguments; ``in_channels`` and
            ``in_index`` are sequences (``input_transform`` is
            ``'multiple_select'``), ``channels`` the fused width.
    """

    def __init__(self,
                 embed_dims: int = 256,
                 dilations: Sequence[int] = (1, 6, 12, 18),
                 **kwargs) -> None:
        super().__init__(input_transform='multiple_select', **kwargs)
        self.embed_dims = embed_dims
        self.dilations = tuple(dilations)
        self.embeddings = nn.ModuleList(
            nn.Conv2d(c, embed_dims, kernel_size=1)
            for c in self.in_channels)
        fused_in = embed_dims * len(self.in_channels)
        self.branches = nn.ModuleList(
            DepthwiseSeparableConvModule(fused_in,
                                         self.channels,
                                         kernel_size=3,
                                         padding=d,
                                         dilation=d,
                                         norm_cfg=self.norm_cfg,
                                         act_cfg=self.act_cfg)
            for d in self.dilations)
        self.fusion = ConvModule(self.channels * len(self.dilations),
                                 self.channels,
                                 kernel_size=1,
                                 conv_cfg=self.conv_cfg,
                                 norm_cfg=self.norm_cfg,
                                 act_cfg=self.act_cfg)

    def forward(self, inputs: List[Tensor]) -> Tensor:
        """Logits (N, num_classes, H_1, W_1) at the first level's size."""
        feats = self._transform_inputs(inputs)
        size = feats[0].shape[2:]
        embedded = [
            resize(embed(x),
                   size=size,
                   mode='bilinear',
                   align_corners=self.align_corners)
            for embed, x in zip(self.embeddings, feats)
        ]
        x = torch.cat(embedded, dim=1)
        x = self.fusion(torch.cat([branch(x) for branch in self.branches],
                                  dim=1))
        return self.cls_seg(x)
