"""PatchGAN image discriminator (CycleGAN, LDR's D_k; SPEC 4.3)."""
from typing import List, Optional, Tuple, Union

from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor, nn


@MODELS.register_module()
class PatchDiscriminator(BaseModule):
    """PatchGAN of pix2pix / CycleGAN: one real/fake logit per patch.

    ``num_layers`` 4x4 convs with stride 2 (widths ``base_channels *
    2**i``, capped at 8x), one 4x4 conv with stride 1, then a 4x4 conv to
    one channel; LeakyReLU(0.2), ``norm_cfg`` after every conv but the
    first and the last. No sigmoid: logits for BCE-with-logits or LSGAN.
    ``padding=1`` is CycleGAN's 70x70 PatchGAN (3 layers); ``padding=2``
    (the default) is pix2pixHD's variant used in its multi-scale D, which
    keeps an output for the small maps of the 1/4 scale (an 8-pixel side
    still gives 4 logits, where padding 1 gives none).

    Args:
        in_channels (int): Input channels (3, or C + 3 for the conditional
            D_k of LDR that see ``concat(label map, image)``).
        base_channels (int): Width of the first conv. Default: 64.
        num_layers (int): Stride-2 convs. Default: 3.
        padding (int): Padding of every 4x4 conv. Default: 2.
        norm_cfg (dict, optional): Default: ``dict(type='IN')``.
        init_cfg (dict, optional): Default: convs N(0, 0.02), bias 0.

    Inputs: (N, in_channels, H, W). Output: logits (N, 1, H', W'), or with
    ``return_features=True`` a tuple (logits, the activations after each
    hidden conv), which feature matching compares.
    """

    def __init__(self,
                 in_channels: int,
                 base_channels: int = 64,
                 num_layers: int = 3,
                 padding: int = 2,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 init_cfg: OptMultiConfig = dict(type='Normal',
                                                 layer='Conv2d',
                                                 std=0.02,
                                                 bias=0)) -> None:
        super().__init__(init_cfg=init_cfg)
        if min(in_channels, base_channels, num_layers) < 1:
            raise ValueError(
                'PatchDiscriminator expects in_channels, base_channels and '
                f'num_layers >= 1, got {in_channels}, {base_channels}, '
                f'{num_layers}')
        self.in_channels = in_channels
        widths = [base_channels * min(2**i, 8) for i in range(num_layers + 1)]
        strides = [2] * num_layers + [1]
        blocks = []
        c_in = in_channels
        for i, (c_out, stride) in enumerate(zip(widths, strides)):
            layers = [
                nn.Conv2d(c_in, c_out, 4, stride=stride, padding=padding)
            ]
            if i > 0 and norm_cfg is not None:
                layers.append(build_norm_layer(norm_cfg, c_out)[1])
            layers.append(nn.LeakyReLU(0.2, inplace=True))
            blocks.append(nn.Sequential(*layers))
            c_in = c_out
        self.blocks = nn.ModuleList(blocks)
        self.classifier = nn.Conv2d(c_in, 1, 4, stride=1, padding=padding)

    def forward(
        self,
        x: Tensor,
        return_features: bool = False
    ) -> Union[Tensor, Tuple[Tensor, List[Tensor]]]:
        """Logits (N, 1, H', W') [, hidden activations]."""
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f'PatchDiscriminator expects input (N, {self.in_channels}, '
                f'H, W), got {tuple(x.shape)}')
        feats = []
        for block in self.blocks:
            x = block(x)
            feats.append(x)
        logits = self.classifier(x)
        return (logits, feats) if return_features else logits
