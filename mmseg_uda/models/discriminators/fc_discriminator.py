"""Fully convolutional output-space discriminator (SPEC section 3)."""
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor, nn


@MODELS.register_module()
class FCDiscriminator(BaseModule):
    """Patch discriminator of AdaptSegNet / ADVENT on output-space maps.

    ``num_convs`` 4x4 convs with stride 2 and padding 1, widths
    ``base_channels * 2**i`` (64, 128, 256, 512 by default), each followed by
    LeakyReLU(0.2), then one 4x4/2 conv to a single channel. There is no
    normalisation (statistics of a batch of one image would be meaningless)
    and no sigmoid: the output is a map of logits, to be used with
    BCE-with-logits or LSGAN.

    Every conv maps a side of length L to ``floor(L / 2)``
    (``(L + 2 - 4) // 2 + 1``), so the output is ``num_convs + 1`` halvings
    of the input: 1024x512 -> 32x16, 1280x720 -> 40x22.

    Args:
        in_channels (int): Channels of the input map (number of classes).
        base_channels (int): Width of the first conv. Default: 64.
        num_convs (int): Convs before the classifier conv. Default: 4.
        init_cfg (dict or list[dict], optional): Initialisation config.
            Default: None (PyTorch's default init, as the reference code).

    Inputs: (N, in_channels, H, W). Output: logits (N, 1, H', W') with
    ``H' = H // 2**(num_convs + 1)`` (for every H, by the floor rule).
    """

    def __init__(self,
                 in_channels: int,
                 base_channels: int = 64,
                 num_convs: int = 4,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if in_channels < 1 or base_channels < 1 or num_convs < 1:
            raise ValueError(
                'FCDiscriminator expects in_channels, base_channels and '
                f'num_convs >= 1, got {in_channels}, {base_channels}, '
                f'{num_convs}')
        self.in_channels = in_channels
        layers = []
        channels = in_channels
        for i in range(num_convs):
            out_channels = base_channels * 2**i
            layers += [
                nn.Conv2d(channels, out_channels, 4, stride=2, padding=1),
                nn.LeakyReLU(0.2, inplace=True)
            ]
            channels = out_channels
        self.convs = nn.Sequential(*layers)
        self.classifier = nn.Conv2d(channels, 1, 4, stride=2, padding=1)

    def forward(self, x: Tensor) -> Tensor:
        """(N, in_channels, H, W) -> logits (N, 1, H', W')."""
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f'FCDiscriminator expects input (N, {self.in_channels}, H, '
                f'W), got {tuple(x.shape)}')
        return self.classifier(self.convs(x))
