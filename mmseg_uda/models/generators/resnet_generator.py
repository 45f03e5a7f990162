"""Johnson-style ResNet image generator (LDR's M, CycleGAN's G; SPEC 4.3)."""
from typing import Optional

from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor, nn


def _norm(norm_cfg: Optional[dict], channels: int) -> nn.Module:
    if norm_cfg is None:
        return nn.Identity()
    return build_norm_layer(norm_cfg, channels)[1]


class ResidualBlock(nn.Module):
    """x + [pad, conv3x3, norm, ReLU, pad, conv3x3, norm](x)."""

    def __init__(self, channels: int, norm_cfg: Optional[dict],
                 padding_mode: str, bias: bool) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1,
                      padding_mode=padding_mode, bias=bias),
            _norm(norm_cfg, channels), nn.ReLU(inplace=True),
            nn.Conv2d(channels, channels, 3, padding=1,
                      padding_mode=padding_mode, bias=bias),
            _norm(norm_cfg, channels))

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)


@MODELS.register_module()
class ResnetGenerator(BaseModule):
    """Image-to-image network of Johnson et al. (2016), as used by CycleGAN.

    ``7x7 conv -> 2 x (3x3 conv, stride 2) -> num_blocks residual blocks ->
    2 x (3x3 transposed conv, stride 2) -> 7x7 conv -> tanh``, widths
    ``base_channels * (1, 2, 4, 2, 1)``, every conv but the last followed
    by ``norm_cfg`` and ReLU, reflection padding. LDR uses it as the
    reconstruction net M (input: a C-channel label map, output: an RGB
    image in [-1, 1]); CycleGAN as its translators (3 -> 3 channels).

    Args:
        in_channels (int): Input channels (C for M, 3 for translation).
        out_channels (int): Output channels. Default: 3.
        base_channels (int): Width of the first conv. Default: 64.
        num_blocks (int): Residual blocks. Default: 9.
        norm_cfg (dict, optional): Normalisation after each conv.
            Default: ``dict(type='IN')`` (instance norm, no affine).
        padding_mode (str): Padding of the 3x3/7x7 convs. Default:
            'reflect' (avoids border artefacts in generated images).
        init_cfg (dict, optional): Default: convs N(0, 0.02), bias 0
            (CycleGAN's init).

    Inputs: (N, in_channels, H, W) with H and W multiples of 4 (two
    stride-2 stages). Output: (N, out_channels, H, W) in [-1, 1].
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int = 3,
                 base_channels: int = 64,
                 num_blocks: int = 9,
                 norm_cfg: Optional[dict] = dict(type='IN'),
                 padding_mode: str = 'reflect',
                 init_cfg: OptMultiConfig = dict(type='Normal',
                                                 layer=['Conv2d',
                                                        'ConvTranspose2d'],
                                                 std=0.02,
                                                 bias=0)) -> None:
        super().__init__(init_cfg=init_cfg)
        if min(in_channels, out_channels, base_channels) < 1 or \
                num_blocks < 0:
            raise ValueError(
                'ResnetGenerator expects positive in/out/base channels and '
                f'num_blocks >= 0, got {in_channels}, {out_channels}, '
                f'{base_channels}, {num_blocks}')
        self.in_channels = in_channels
        # an affine-free instance norm has no shift: the convs keep a bias
        bias = norm_cfg is None or norm_cfg.get('type') in ('IN', 'IN2d')
        c1, c2, c4 = base_channels, 2 * base_channels, 4 * base_channels
        layers = [
            nn.Conv2d(in_channels, c1, 7, padding=3,
                      padding_mode=padding_mode, bias=bias),
            _norm(norm_cfg, c1), nn.ReLU(inplace=True)
        ]
        for c_in, c_out in ((c1, c2), (c2, c4)):
            layers += [
                nn.Conv2d(c_in, c_out, 3, stride=2, padding=1, bias=bias),
                _norm(norm_cfg, c_out), nn.ReLU(inplace=True)
            ]
        layers += [
            ResidualBlock(c4, norm_cfg, padding_mode, bias)
            for _ in range(num_blocks)
        ]
        for c_in, c_out in ((c4, c2), (c2, c1)):
            layers += [
                nn.ConvTranspose2d(c_in, c_out, 3, stride=2, padding=1,
                                   output_padding=1, bias=bias),
                _norm(norm_cfg, c_out), nn.ReLU(inplace=True)
            ]
        layers += [
            nn.Conv2d(c1, out_channels, 7, padding=3,
                      padding_mode=padding_mode),
            nn.Tanh()
        ]
        self.layers = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """(N, in_channels, H, W) -> (N, out_channels, H, W) in [-1, 1]."""
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f'ResnetGenerator expects input (N, {self.in_channels}, H, '
                f'W), got {tuple(x.shape)}')
        if x.shape[2] % 4 or x.shape[3] % 4:
            raise ValueError(
                'ResnetGenerator needs H and W divisible by 4 (two stride-2 '
                f'stages), got {tuple(x.shape[2:])}')
        return self.layers(x)
