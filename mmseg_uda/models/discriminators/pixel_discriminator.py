"""Pixel-level (local) discriminator of global-local alignment (SPEC 4.1)."""
from typing import Sequence

from mmengine.model import BaseModule
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor, nn


@MODELS.register_module()
class PixelDiscriminator(BaseModule):
    """Stack of 1x1 convs giving one domain logit per pixel.

    ``in_channels -> channels[0] -> ... -> channels[-1] -> 1``, all 1x1 convs,
    LeakyReLU(0.2) between consecutive convs, no normalisation and no
    sigmoid. Because every kernel is 1x1, each output pixel depends only on
    the local output (the class distribution) at the same location: this is
    the "local discriminator" of the global-local paper (eq. 3). The default
    widths mirror :class:`FCDiscriminator` (the paper gives none).

    Args:
        in_channels (int): Channels of the input map (number of classes).
        channels (Sequence[int]): Hidden widths. Default: (64, 128, 256, 512).
        init_cfg (dict or list[dict], optional): Initialisation config.
            Default: None (PyTorch's default init).

    Inputs: (N, in_channels, H, W). Output: logits (N, 1, H, W).
    """

    def __init__(self,
                 in_channels: int,
                 channels: Sequence[int] = (64, 128, 256, 512),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if in_channels < 1 or any(c < 1 for c in channels):
            raise ValueError(
                'PixelDiscriminator expects positive in_channels and '
                f'channels, got {in_channels} and {tuple(channels)}')
        self.in_channels = in_channels
        widths = [in_channels, *channels, 1]
        layers = []
        for i, (c_in, c_out) in enumerate(zip(widths[:-1], widths[1:])):
            layers.append(nn.Conv2d(c_in, c_out, 1))
            if i < len(widths) - 2:
                layers.append(nn.LeakyReLU(0.2, inplace=True))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """(N, in_channels, H, W) -> logits (N, 1, H, W)."""
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f'PixelDiscriminator expects input (N, {self.in_channels}, '
                f'H, W), got {tuple(x.shape)}')
        return self.layers(x)
