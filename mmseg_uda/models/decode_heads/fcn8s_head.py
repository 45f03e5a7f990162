"""FCN-8s skip-fusion head for the VGG-16 variant (SPEC section 3)."""
from typing import List, Optional, Sequence

import torch.nn as nn
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.utils import OptConfigType
from torch import Tensor


@MODELS.register_module()
class FCN8sHead(BaseDecodeHead):
    """FCN-8s head (Long et al., CVPR 2015) on pool3, pool4 and fc7.

    With 1x1 score convs ``S_3``, ``S_4``, ``S_7`` (features -> classes)::

        s = S_7(fc7)                                    # stride 32
        s = up(s, size(pool4)) + S_4(a_4 * pool4)       # stride 16
        s = up(s, size(pool3)) + S_3(a_3 * pool3)       # stride 8

    ``up`` is bilinear interpolation to the skip's size (x2 up to rounding),
    not a learned deconvolution: FCN initialises its deconvolutions to
    bilinear and reports that learning them gains little, and resizing to
    the skip's exact size removes FCN's cropping. The output stays at stride
    8; mmseg's loss / predict upsample it to the label / image size.

    ``a_4``/``a_3`` (``pool4_scale``/``pool3_scale``, default 1) are the
    feature scalings of the "at-once" FCN-8s (0.01 / 0.0001), which keep the
    skips from dominating when everything trains jointly from ImageNet
    weights. Score convs are zero-initialised as in FCN, so training starts
    from uniform predictions.

    Args:
        in_channels (Sequence[int]): Channels of (pool3, pool4, fc7).
            Default: (256, 512, 4096).
        channels (int, optional): Unused (``BaseDecodeHead`` requires it);
            defaults to the fc7 channels. Default: None.
        in_index (Sequence[int]): Indices of (pool3, pool4, fc7) in the
            backbone outputs. Default: (0, 1, 2).
        pool4_scale (float): ``a_4``. Default: 1.0.
        pool3_scale (float): ``a_3``. Default: 1.0.
        init_cfg (dict or list[dict], optional): Default: zero weights/bias.
        **kwargs: Other :class:`BaseDecodeHead` arguments.

    Inputs: backbone tuple with (N, C_3, H/8, W/8), (N, C_4, H/16, W/16),
    (N, C_7, H/32, W/32) at ``in_index``. Output: (N, num_classes, H/8, W/8).
    """

    def __init__(self,
                 in_channels: Sequence[int] = (256, 512, 4096),
                 channels: Optional[int] = None,
                 in_index: Sequence[int] = (0, 1, 2),
                 pool4_scale: float = 1.0,
                 pool3_scale: float = 1.0,
                 init_cfg: OptConfigType = dict(type='Constant',
                                                val=0,
                                                bias=0,
                                                layer='Conv2d'),
                 **kwargs) -> None:
        if kwargs.get('dropout_ratio', 0):
            raise ValueError('FCN8sHead has no dropout (fc6/fc7 of the '
                             'backbone have it); got dropout_ratio='
                             f'{kwargs["dropout_ratio"]}')
        if len(in_channels) != 3 or len(in_index) != 3:
            raise ValueError('FCN8sHead needs exactly three inputs (pool3, '
                             f'pool4, fc7); got in_channels={in_channels}, '
                             f'in_index={in_index}')
        kwargs['dropout_ratio'] = 0
        kwargs['input_transform'] = 'multiple_select'
        super().__init__(list(in_channels),
                         in_channels[2] if channels is None else channels,
                         in_index=list(in_index),
                         init_cfg=init_cfg,
                         **kwargs)
        # Built by BaseDecodeHead but unused; an unused parameter would
        # break DDP without find_unused_parameters.
        del self.conv_seg
        self.pool4_scale = pool4_scale
        self.pool3_scale = pool3_scale
        c3, c4, c7 = in_channels
        self.score_pool3 = nn.Conv2d(c3, self.out_channels, 1)
        self.score_pool4 = nn.Conv2d(c4, self.out_channels, 1)
        self.score_fr = nn.Conv2d(c7, self.out_channels, 1)

    def forward(self, inputs: List[Tensor]) -> Tensor:
        """Fuse the three score maps, (N, num_classes, H/8, W/8)."""
        pool3, pool4, fc7 = self._transform_inputs(inputs)
        score = self.score_fr(fc7)
        score = self._up(score, pool4) + self.score_pool4(
            pool4 * self.pool4_scale)
        score = self._up(score, pool3) + self.score_pool3(
            pool3 * self.pool3_scale)
        return score

    def _up(self, score: Tensor, skip: Tensor) -> Tensor:
        """Bilinearly resize ``score`` to the spatial size of ``skip``."""
        return resize(score,
                      size=skip.shape[2:],
                      mode='bilinear',
                      align_corners=self.align_corners,
                      warning=False)

    def cls_seg(self, feat: Tensor) -> Tensor:
        """Not used: the score convs are the classifier."""
        raise NotImplementedError('FCN8sHead has no conv_seg; call forward()')
