"""G's training forward pass as one ``nn.Module.forward`` call."""
from typing import Dict, List, Tuple

from torch import Tensor, nn

#: (features, logits per level) of one domain.
DomainForward = Tuple[List[Tensor], Dict[str, Tensor]]


class GeneratorForward(nn.Module):
    """Run an EncoderDecoder-like segmentor on every batch of a UDA step.

    ``UDASegmentor`` needs more from G in a training step than MMSeg's
    ``forward`` modes give (backbone features and the logits of every head,
    for both domains), and it must get them through ``forward`` so that a
    ``DistributedDataParallel`` wrapper of this module sees the pass and
    all-reduces G's gradients in the following backward. Every batch of the
    step (source, target and the aligners' extra batches such as ClassMix
    images) goes through ONE forward call: DDP then prepares exactly one
    reduction per step, whatever ``find_unused_parameters`` is.

    This module owns no parameters of its own; it holds a reference to the
    segmentor (shared parameters) and is kept out of the UDA model's module
    tree, so checkpoints do not change.

    Args:
        segmentor (nn.Module): G, with ``extract_feat``, ``decode_head`` and
            optionally ``auxiliary_head`` (a head or a ``ModuleList``).
    """

    def __init__(self, segmentor: nn.Module) -> None:
        super().__init__()
        self.segmentor = segmentor

    def forward_domain(self, inputs: Tensor) -> DomainForward:
        """Features and logits of one batch.

        Args:
            inputs (Tensor): Preprocessed images, (N, 3, H, W).

        Returns:
            tuple: backbone(+neck) features, and logits at the heads' native
            resolution keyed ``'main'``, ``'aux'`` (or ``'aux_<i>'`` for a
            list of auxiliary heads), each (N, C, h, w).
        """
        seg = self.segmentor
        feats = seg.extract_feat(inputs)
        logits = {'main': seg.decode_head(feats)}
        if seg.with_auxiliary_head:
            if isinstance(seg.auxiliary_head, nn.ModuleList):
                for i, head in enumerate(seg.auxiliary_head):
                    logits[f'aux_{i}'] = head(feats)
            else:
                logits['aux'] = seg.auxiliary_head(feats)
        return list(feats), logits

    def forward(self, *inputs: Tensor) -> Tuple[DomainForward, ...]:
        """``forward_domain`` of each batch, in order.

        Each batch runs separately (its own BN batch statistics), as the
        methods do for source, target and mixed images.
        """
        return tuple(self.forward_domain(x) for x in inputs)
