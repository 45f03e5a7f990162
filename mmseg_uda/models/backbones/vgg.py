"""VGG backbone with torchvision parameter names (SPEC sections 3, 4.3)."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from mmseg.utils import OptConfigType
from torch import Tensor


@MODELS.register_module()
class VGG(BaseModule):
    """VGG-11/13/16/19 (no BN) for FCN-8s and the VGG-19 perceptual loss.

    The conv/ReLU/pool layers live in ``self.features`` (``nn.Sequential``)
    at torchvision's indices (``features.0.weight``, ``features.2.weight``,
    ...) so torchvision / MMCV-zoo VGG weights load by name; torchvision
    itself is not needed. Every layer also has a Caffe-style name
    (``conv3_1``, ``relu3_1``, ``pool3``; see :attr:`layer_names`).

    Two output modes:

    * pooling outputs (default): ``out_indices`` picks stages; index ``i`` in
      0..4 is the output of ``pool{i+1}`` (stride ``2**(i+1)``: pool3 is
      stride 8, pool4 16, pool5 32) and index 5 is the fc7 output (stride
      32, needs ``with_fc=True``).
    * ReLU activations: ``out_relus=('relu1_1', 'relu2_1', ...)`` returns the
      activations after these ReLUs, in the given order, and stops the
      forward pass after the deepest one (perceptual losses).

    With ``with_fc=True`` the classifier layers of the ImageNet model become
    convolutions: fc6 = conv ``fc6_kernel_size`` (padding keeps the size)
    512 -> ``fc_channels``, fc7 = 1x1 conv, each followed by ReLU and
    Dropout, as in FCN. Checkpoints with torchvision's ``classifier.0/3``
    Linear weights, or with SSD's reduced fc6/fc7 at ``features.31/33``
    (``open-mmlab://vgg16_caffe``), are reshaped into ``fc6``/``fc7`` on load
    when the sizes match.

    Layers after the last requested output (fc6/fc7 when 5 is not in
    ``out_indices``, deeper layers in ``out_relus`` mode) get no gradient:
    freeze them or use DDP's ``find_unused_parameters`` when training.

    Args:
        depth (int): 11, 13, 16 or 19. Default: 16.
        in_channels (int): Input channels. Default: 3.
        out_indices (Sequence[int]): Pooling stages (0..4) and/or 5 (fc7) to
            output. Default: (2, 3, 4).
        out_relus (Sequence[str], optional): ReLU names to output instead of
            ``out_indices``. Default: None.
        with_fc (bool): Add fc6/fc7 as convolutions. Default: False.
        fc_channels (int): Width of fc6/fc7. Default: 4096.
        fc6_kernel_size (int): Kernel of fc6. Default: 7.
        fc6_dilation (int): Dilation of fc6. Default: 1.
        fc_dropout (float): Dropout after fc6 and fc7. Default: 0.5.
        pool_ceil_mode (bool): ``ceil_mode`` of the 2x2/2 max-pools (Caffe
            pools round up; torchvision's round down). Default: False.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    arch_settings = {
        11: (1, 1, 2, 2, 2),
        13: (2, 2, 2, 2, 2),
        16: (2, 2, 3, 3, 3),
        19: (2, 2, 4, 4, 4)
    }
    stage_channels = (64, 128, 256, 512, 512)

    # (source key, destination key) pairs tried when loading a checkpoint.
    _fc_key_map = (
        ('classifier.0.weight', 'fc6.weight'),
        ('classifier.0.bias', 'fc6.bias'),
        ('classifier.3.weight', 'fc7.weight'),
        ('classifier.3.bias', 'fc7.bias'),
        ('features.31.weight', 'fc6.weight'),
        ('features.31.bias', 'fc6.bias'),
        ('features.33.weight', 'fc7.weight'),
        ('features.33.bias', 'fc7.bias'),
    )

    def __init__(self,
                 depth: int = 16,
                 in_channels: int = 3,
                 out_indices: Sequence[int] = (2, 3, 4),
                 out_relus: Optional[Sequence[str]] = None,
                 with_fc: bool = False,
                 fc_channels: int = 4096,
                 fc6_kernel_size: int = 7,
                 fc6_dilation: int = 1,
                 fc_dropout: float = 0.5,
                 pool_ceil_mode: bool = False,
                 init_cfg: OptConfigType = None) -> None:
        if init_cfg is None:
            init_cfg = dict(type='Kaiming', layer='Conv2d')
        super().__init__(init_cfg)
        if depth not in self.arch_settings:
            raise KeyError(f'invalid depth {depth} for VGG, expected one of '
                           f'{sorted(self.arch_settings)}')
        self.depth = depth
        self.with_fc = with_fc

        layers: List[nn.Module] = []
        self.layer_names: List[str] = []
        # Index in ``features`` of each pooling layer.
        self.pool_layer_indices: List[int] = []
        channels = in_channels
        for stage, num_convs in enumerate(self.arch_settings[depth], 1):
            out_channels = self.stage_channels[stage - 1]
            for k in range(1, num_convs + 1):
                layers.append(nn.Conv2d(channels, out_channels, 3, padding=1))
                layers.append(nn.ReLU(inplace=True))
                self.layer_names += [f'conv{stage}_{k}', f'relu{stage}_{k}']
                channels = out_channels
            self.pool_layer_indices.append(len(layers))
            layers.append(nn.MaxPool2d(2, stride=2, ceil_mode=pool_ceil_mode))
            self.layer_names.append(f'pool{stage}')
        self.features = nn.Sequential(*layers)

        if with_fc:
            self.fc6 = nn.Conv2d(channels,
                                 fc_channels,
                                 fc6_kernel_size,
                                 padding=fc6_dilation *
                                 (fc6_kernel_size - 1) // 2,
                                 dilation=fc6_dilation)
            self.fc7 = nn.Conv2d(fc_channels, fc_channels, 1)
            self.fc_relu = nn.ReLU(inplace=True)
            self.fc_dropout = nn.Dropout(fc_dropout)

        max_index = 5 if with_fc else 4
        for i in out_indices:
            if not 0 <= i <= max_index:
                raise ValueError(
                    f'out_indices must lie in [0, {max_index}] (0-4: pool1-'
                    f'pool5, 5: fc7 with with_fc=True), got {out_indices}')
        self.out_indices = tuple(out_indices)

        self.out_relus = None if out_relus is None else tuple(out_relus)
        if self.out_relus is not None:
            unknown = [
                name for name in self.out_relus
                if not (name.startswith('relu') and name in self.layer_names)
            ]
            if unknown or not self.out_relus:
                relus = [n for n in self.layer_names if n.startswith('relu')]
                raise ValueError(
                    f'unknown ReLU names {unknown} in out_relus for VGG-'
                    f'{depth}; expected a non-empty subset of {relus}')

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Run the network.

        Args:
            x (Tensor): Images, shape (N, C_in, H, W).

        Returns:
            tuple[Tensor]: ``out_relus`` activations (in the given order), or
            else the ``out_indices`` outputs in increasing index order, each
            (N, C, H / s, W / s) with s = 2**(i+1) (s = 32 for fc7).
        """
        if self.out_relus is not None:
            return self._forward_relus(x)
        outs = []
        pool_to_stage = {
            idx: stage
            for stage, idx in enumerate(self.pool_layer_indices)
        }
        for idx, layer in enumerate(self.features):
            x = layer(x)
            if pool_to_stage.get(idx) in self.out_indices:
                outs.append(x)
        if self.with_fc and 5 in self.out_indices:
            x = self.fc_dropout(self.fc_relu(self.fc6(x)))
            x = self.fc_dropout(self.fc_relu(self.fc7(x)))
            outs.append(x)
        return tuple(outs)

    def _forward_relus(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Activations after the ReLUs named in ``out_relus``."""
        wanted = {self.layer_names.index(n): n for n in self.out_relus}
        last = max(wanted)
        found: Dict[str, Tensor] = {}
        for idx, layer in enumerate(self.features[:last + 1]):
            x = layer(x)
            if idx in wanted:
                # The next layer is a conv or pool, never in-place, so the
                # stored tensor is not overwritten later.
                found[wanted[idx]] = x
        return tuple(found[n] for n in self.out_relus)

    def _load_from_state_dict(self, state_dict: dict, prefix: str, *args,
                              **kwargs) -> None:
        """Map fc weights of classification checkpoints onto fc6/fc7.

        torchvision stores fc6/fc7 as ``Linear`` (``classifier.0/3``) and
        SSD's reduced VGG as ``features.31/33``; their weights are the conv
        weights flattened, so a reshape is exact when the sizes match.
        """
        if self.with_fc:
            own = {
                'fc6.weight': self.fc6.weight,
                'fc6.bias': self.fc6.bias,
                'fc7.weight': self.fc7.weight,
                'fc7.bias': self.fc7.bias
            }
            for src, dst in self._fc_key_map:
                if src.startswith('features.') and int(
                        src.split('.')[1]) < len(self.features):
                    continue  # a layer of this network (e.g. VGG-19)
                src, full_dst = prefix + src, prefix + dst
                if src not in state_dict or full_dst in state_dict:
                    continue
                value = state_dict[src]
                if isinstance(value, torch.Tensor) and \
                        value.numel() == own[dst].numel():
                    state_dict[full_dst] = state_dict.pop(src).reshape(
                        own[dst].shape)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
