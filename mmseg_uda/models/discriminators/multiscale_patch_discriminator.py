"""Multi-scale conditional PatchGAN discriminators D_1..D_3 (SPEC 4.3)."""
import copy
from typing import List, Tuple, Union

import torch.nn.functional as F
from mmengine.model import BaseModule, ModuleList
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor

#: Logits of one scale, or (logits, intermediate features).
ScaleOutput = Union[Tensor, Tuple[Tensor, List[Tensor]]]


@MODELS.register_module()
class MultiScalePatchDiscriminator(BaseModule):
    """``num_scales`` PatchGANs of the same architecture on an image pyramid.

    LDR (Sec. 3.4) judges real and reconstructed images at scales 1, 1/2
    and 1/4 with three discriminators D_1, D_2, D_3 that share the
    architecture but not the weights. The input of D_k is the input of
    D_(k-1) downsampled by 2 with a 3x3 average pool (stride 2, padding 1,
    padded pixels not counted), as in pix2pixHD: averaging keeps a
    conditional label map a valid (soft) label map.

    The conditional input ``concat(label map, image)`` is formed by the
    caller; ``in_channels`` is its channel count.

    Args:
        in_channels (int): Channels of the (conditional) input.
        num_scales (int): Number of discriminators / scales. Default: 3.
        discriminator (dict): Config of each PatchGAN; ``in_channels`` is
            filled in. It must accept ``forward(x, return_features)``.
            Default: ``dict(type='PatchDiscriminator')``.
        init_cfg (dict, optional): Initialisation config. Default: None.

    Inputs: (N, in_channels, H, W). Output: a list with one entry per
    scale, finest first: the logit map of D_k, or with
    ``return_features=True`` a tuple (logits, list of D_k's intermediate
    feature maps).
    """

    def __init__(self,
                 in_channels: int,
                 num_scales: int = 3,
                 discriminator: dict = dict(type='PatchDiscriminator'),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if in_channels < 1 or num_scales < 1:
            raise ValueError(
                'MultiScalePatchDiscriminator expects in_channels and '
                f'num_scales >= 1, got {in_channels} and {num_scales}')
        self.in_channels = in_channels
        self.num_scales = num_scales
        nets = []
        for _ in range(num_scales):
            cfg = copy.deepcopy(discriminator)
            cfg['in_channels'] = in_channels
            nets.append(MODELS.build(cfg))
        # MMEngine's ModuleList: init_weights applies each D_k's init_cfg
        self.discriminators = ModuleList(nets)

    @staticmethod
    def downsample(x: Tensor) -> Tensor:
        """Halve the resolution: 3x3 average pool, stride 2, padding 1."""
        return F.avg_pool2d(x, 3, stride=2, padding=1,
                            count_include_pad=False)

    def forward(self,
                x: Tensor,
                return_features: bool = False) -> List[ScaleOutput]:
        """Run D_1 on ``x``, D_2 on ``x`` at 1/2, D_3 at 1/4, ..."""
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f'MultiScalePatchDiscriminator expects (N, '
                f'{self.in_channels}, H, W) inputs, got {tuple(x.shape)}')
        outputs = []
        for k, disc in enumerate(self.discriminators):
            if k > 0:
                x = self.downsample(x)
            outputs.append(disc(x, return_features=return_features))
        return outputs
