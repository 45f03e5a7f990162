"""DeepLab-v2 classifier head (SPEC section 3, "Head DLV2Head")."""
from typing import List, Optional, Sequence

import torch.nn as nn
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import OptConfigType
from torch import Tensor


@MODELS.register_module()
class DLV2Head(BaseDecodeHead):
    """DeepLab-v2 "ASPP" classifier: parallel dilated 3x3 convs, summed.

    ``out = sum_k Conv3x3_{d_k}(x)`` where branch k maps ``in_channels``
    directly to ``num_classes`` (bias True) with dilation = padding = d_k.
    Weights are drawn from N(0, 0.01) and biases set to 0 (the reference
    code keeps PyTorch's default uniform bias; zero starts from unbiased
    logits).

    ``dilations=(6, 12, 18, 24)`` is the published DeepLab-v2 head (and
    ADVENT's). ``dilations=(6, 12)`` reproduces the bug of AdaptSegNet, SIM
    and BDL before July 2020, whose ``return`` inside the summation loop
    summed only the first two branches; their published models were trained
    that way.

    The head has no 1x1 ``conv_seg`` and no dropout: the branches ARE the
    classifier. The ``conv_seg`` that ``BaseDecodeHead`` builds is deleted so
    no parameter is left without gradient (DDP would need
    ``find_unused_parameters`` otherwise). ``channels`` is accepted only
    because ``BaseDecodeHead`` requires it; it defaults to ``in_channels``.

    Use one head per feature level, e.g. main head ``in_index=3`` (res5,
    2048 ch) and an ``auxiliary_head`` with ``in_index=2`` (res4, 1024 ch).

    Args:
        in_channels (int): Channels of the selected input feature.
        channels (int, optional): Unused, see above. Default: None.
        dilations (Sequence[int]): Dilation (= padding) of each branch.
            Default: (6, 12, 18, 24).
        init_cfg (dict or list[dict], optional): Initialisation config.
            Default: N(0, 0.01) weights, zero bias on every branch.
        **kwargs: Other :class:`BaseDecodeHead` arguments (``num_classes``,
            ``in_index``, ``loss_decode``, ``align_corners``...).

    Inputs: tuple of features, ``inputs[in_index]`` is (N, in_channels, H,
    W). Output: logits (N, num_classes, H, W).
    """

    def __init__(self,
                 in_channels: int,
                 channels: Optional[int] = None,
                 dilations: Sequence[int] = (6, 12, 18, 24),
                 init_cfg: OptConfigType = dict(type='Normal',
                                                std=0.01,
                                                bias=0,
                                                layer='Conv2d'),
                 **kwargs) -> None:
        if kwargs.get('dropout_ratio', 0):
            raise ValueError('DLV2Head has no dropout; got dropout_ratio='
                             f'{kwargs["dropout_ratio"]}')
        if kwargs.get('input_transform') is not None:
            raise ValueError('DLV2Head takes a single feature level '
                             '(input_transform=None, integer in_index)')
        kwargs['dropout_ratio'] = 0
        if len(dilations) == 0:
            raise ValueError('DLV2Head needs at least one dilation')
        super().__init__(in_channels,
                         in_channels if channels is None else channels,
                         init_cfg=init_cfg,
                         **kwargs)
        # Built by BaseDecodeHead but unused here (see class docstring).
        del self.conv_seg
        self.dilations = tuple(dilations)
        self.aspp_convs = nn.ModuleList([
            nn.Conv2d(self.in_channels,
                      self.out_channels,
                      kernel_size=3,
                      padding=d,
                      dilation=d,
                      bias=True) for d in self.dilations
        ])

    def forward(self, inputs: List[Tensor]) -> Tensor:
        """Sum of the dilated branches, (N, num_classes, H, W)."""
        x = self._transform_inputs(inputs)
        out = self.aspp_convs[0](x)
        for conv in self.aspp_convs[1:]:
            out = out + conv(x)
        return out

    def cls_seg(self, feat: Tensor) -> Tensor:
        """Not used: the dilated branches are the classifier."""
        raise NotImplementedError('DLV2Head has no conv_seg; call forward()')

    def extra_repr(self) -> str:
        """Show the dilations next to mmseg's head summary."""
        return f'dilations={self.dilations}, ' + super().extra_repr()
