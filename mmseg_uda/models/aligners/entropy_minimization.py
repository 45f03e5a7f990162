"""Direct entropy minimisation on the target (ADVENT's MinEnt)."""
import math
from typing import Dict, List

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor

from mmseg_uda.structures import DebugMap
from ..losses import entropy_loss, self_information
from .base_aligner import BaseAligner
from .domain_outputs import DomainOutputs


@MODELS.register_module()
class EntropyMinimization(BaseAligner):
    """MinEnt: push the target predictions towards low entropy.

    ``loss_ent_<level> = w_l / (N H W) * sum_{n,h,w,c} -p log2 p / log2 C``
    with ``p`` the fp32 softmax of the target logits upsampled to the input
    size (ADVENT computes it on the upsampled prediction too). Levels G does
    not produce are skipped. The aligner owns no network.

    Args:
        levels (dict[str, float]): Weight of each prediction level.
            Default: ``dict(main=1e-3, aux=2e-4)`` (ADVENT's lambda_ent).
        active (bool): See :class:`BaseAligner`. Default: True.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    def __init__(self,
                 levels: Dict[str, float] = dict(main=1e-3, aux=2e-4),
                 active: bool = True,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(active=active, init_cfg=init_cfg)
        if not levels:
            raise ValueError('EntropyMinimization needs at least one level')
        self.levels = dict(levels)

    def generator_loss(self, source: DomainOutputs,
                       target: DomainOutputs) -> Dict[str, Tensor]:
        """Weighted MinEnt of the target, one ``loss_ent_<level>`` each."""
        present = [lvl for lvl in self.levels if lvl in target.logits]
        if not present:
            raise ValueError(
                f'EntropyMinimization levels {list(self.levels)} are all '
                f'missing from the target outputs ({target.levels})')
        losses = {}
        for level in present:
            logits = target.upsampled_logits(level)
            with torch.autocast(device_type=logits.device.type, enabled=False):
                probs = F.softmax(logits.float(), dim=1)
            losses[f'loss_ent_{level}'] = self.levels[level] * entropy_loss(
                probs)
        return losses

    def debug_maps(self, source: DomainOutputs,
                   target: DomainOutputs) -> List[DebugMap]:
        """The entropy of the target prediction, divided by log C (so in
        [0, 1]), of each level the term minimises."""
        maps = []
        for level in [lvl for lvl in self.levels if lvl in target.logits]:
            probs = F.softmax(target.upsampled_logits(level).float(), dim=1)
            ent = self_information(probs).sum(1) / math.log(probs.shape[1])
            maps.append(
                DebugMap('target', f'entropy {level}', 'heat',
                         ent.clamp(0, 1)))
        return maps
