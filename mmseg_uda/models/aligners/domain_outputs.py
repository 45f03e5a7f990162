"""What the segmentation network G produced for one domain in one step."""
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from mmseg.structures import SegDataSample


@dataclass
class DomainOutputs:
    """G's outputs for a batch of one domain, shared by every aligner.

    Attributes:
        inputs (Tensor): Preprocessed images, (N, 3, H, W).
        data_samples (list[SegDataSample]): The batch's samples; source
            samples (and pseudo-labelled target samples) hold `gt_sem_seg`.
        feats (Sequence[Tensor]): Backbone (+neck) features, e.g. res2..res5.
        logits (dict[str, Tensor]): Raw head outputs at the heads' native
            resolution (stride 8 for DeepLab-v2): 'main' (N, C, h, w) and,
            for multi-level models, 'aux'.
        align_corners (bool): Interpolation mode of G's heads; used when
            upsampling logits to the input size (SPEC 3: True).
        annotations (dict[str, Tensor]): Per-step tensors that came with the
            batch rather than from G, e.g. the EMA teacher's pseudo labels
            of the target (``'pseudo_label'`` (N, H, W) long and
            ``'pseudo_confidence'`` (N, H, W)) or a mixed batch's labels.
        extras (dict[str, DomainOutputs]): G's outputs on the extra batches
            this aligner asked for (``BaseAligner.extra_batches``), keyed by
            the aligner's batch names; each aligner sees only its own.
    """
    inputs: Tensor
    data_samples: List[SegDataSample]
    feats: Sequence[Tensor]
    logits: Dict[str, Tensor]
    align_corners: bool = True
    annotations: Dict[str, Tensor] = field(default_factory=dict)
    extras: Dict[str, 'DomainOutputs'] = field(default_factory=dict)
    _upsampled: Dict[str, Tensor] = field(default_factory=dict, repr=False)

    @property
    def levels(self) -> List[str]:
        """Names of the prediction levels, e.g. ['main', 'aux']."""
        return list(self.logits)

    def upsampled_logits(self, level: str = 'main') -> Tensor:
        """Logits bilinearly resized to the input size, (N, C, H, W).

        Computed once per level and step; every aligner that needs
        input-resolution predictions (output-space discriminators, entropy)
        shares the result.
        """
        if level not in self._upsampled:
            self._upsampled[level] = F.interpolate(
                self.logits[level],
                size=self.inputs.shape[2:],
                mode='bilinear',
                align_corners=self.align_corners)
        return self._upsampled[level]

    def gt_sem_seg(self) -> Optional[Tensor]:
        """Stacked labels (N, H, W) long, or None if a sample has none."""
        if not all('gt_sem_seg' in s for s in self.data_samples):
            return None
        return torch.stack(
            [s.gt_sem_seg.data[0] for s in self.data_samples]).long()

    def detach(self) -> 'DomainOutputs':
        """A copy whose tensors carry no graph (for networks' own updates).

        The upsampled-logits cache and the extra batches' outputs are
        detached too, so nothing is recomputed.
        """
        return DomainOutputs(
            inputs=self.inputs,
            data_samples=self.data_samples,
            feats=[f.detach() for f in self.feats],
            logits={k: v.detach()
                    for k, v in self.logits.items()},
            align_corners=self.align_corners,
            annotations=dict(self.annotations),
            extras={k: v.detach()
                    for k, v in self.extras.items()},
            _upsampled={k: v.detach()
                        for k, v in self._upsampled.items()})

    def with_extras(self, extras: Dict[str,
                                       'DomainOutputs']) -> 'DomainOutputs':
        """The same outputs (shared caches) with ``extras`` replaced."""
        return replace(self, extras=extras)
