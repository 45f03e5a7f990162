"""Target cross-entropy on pseudo labels (self-training, SPEC 5)."""
from typing import Dict

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor

from .base_aligner import BaseAligner
from .domain_outputs import DomainOutputs


@MODELS.register_module()
class PseudoLabelCE(BaseAligner):
    """Cross-entropy of the target prediction against pseudo labels.

    ``loss_pseudo_<level> = w_l * sum_{valid i} -log softmax(z_i)[y_i] /
    #valid`` where ``y`` (N, H, W) are the labels the target dataset read
    (``gt_sem_seg`` of the target samples, e.g. from
    ``tools/generate_pseudo_labels.py`` or ``PseudoLabelHook``), ``z`` the
    logits bilinearly resized to the label size with the head's
    ``align_corners`` (like the head's own loss), and valid pixels those
    with ``y != ignore_index``. The mean is over the valid pixels of the
    whole batch (BDL/SIM's ``CrossEntropyLoss(ignore_index=255)``; MMSeg's
    default ``CrossEntropyLoss`` would divide by every pixel); a batch
    without valid pixels gives 0. Computed in fp32. The aligner owns no
    network.

    Args:
        levels (dict[str, float]): Weight of each prediction level.
            Default: ``dict(main=1.0)`` (BDL, SIM: main output only).
        ignore_index (int): Label of dropped pixels. Default: 255.
        active (bool): See :class:`BaseAligner`. Default: True.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    def __init__(self,
                 levels: Dict[str, float] = dict(main=1.0),
                 ignore_index: int = 255,
                 active: bool = True,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(active=active, init_cfg=init_cfg)
        if not levels:
            raise ValueError('PseudoLabelCE needs at least one level')
        self.levels = dict(levels)
        self.ignore_index = ignore_index

    def _labels(self, target: DomainOutputs) -> Tensor:
        for sample in target.data_samples:
            if 'gt_sem_seg' not in sample:
                path = sample.metainfo.get('img_path', '<unknown image>')
                raise KeyError(
                    f'PseudoLabelCE: the target sample {path!r} has no label '
                    '(gt_sem_seg). Generate pseudo labels (PseudoLabelHook, '
                    'or tools/generate_pseudo_labels.py CONFIG CHECKPOINT '
                    '--out DIR) and let the target dataset read them: '
                    "data_prefix.seg_map_path=DIR, seg_map_suffix="
                    "'_pseudoTrainIds.png' and LoadAnnotations in its "
                    'pipeline')
        return target.gt_sem_seg()

    def generator_loss(self, source: DomainOutputs,
                       target: DomainOutputs) -> Dict[str, Tensor]:
        """Weighted pseudo-label CE, one ``loss_pseudo_<level>`` each."""
        present = [lvl for lvl in self.levels if lvl in target.logits]
        if not present:
            raise ValueError(
                f'PseudoLabelCE levels {list(self.levels)} are all missing '
                f'from the target outputs ({target.levels})')
        labels = self._labels(target).to(target.logits[present[0]].device)
        valid = labels != self.ignore_index
        num_valid = valid.sum().clamp(min=1)
        losses = {}
        for level in present:
            logits = F.interpolate(target.logits[level],
                                   size=labels.shape[-2:],
                                   mode='bilinear',
                                   align_corners=target.align_corners)
            with torch.autocast(device_type=logits.device.type,
                                enabled=False):
                ce = F.cross_entropy(logits.float(),
                                     labels,
                                     ignore_index=self.ignore_index,
                                     reduction='sum')
            losses[f'loss_pseudo_{level}'] = self.levels[level] * (
                ce / num_valid)
        return losses
