"""MIC: masked image consistency on the target."""
from typing import Dict, List, Optional

from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor, nn

from mmseg_uda.structures import DebugMap
from ..utils.patch_mask import patch_mask
from ..utils.strong_augment import StrongAugment
from .base_aligner import BaseAligner
from .class_mix_self_training import (confidence_weight_from,
                                      strong_augment_for,
                                      weighted_extra_batch_losses)
from .domain_outputs import DomainOutputs


@MODELS.register_module()
class MaskedImageConsistency(BaseAligner):
    """MIC (Hoyer et al., CVPR 2023): predict the target's pseudo labels
    from a patch-masked target image.

    With the EMA teacher's pseudo labels p_T of the *unmasked* target
    image and its confidence weight q_T (``UDASegmentor(teacher=...)``)::

        X_M = M * X_T     (MIC Eq. 2: b x b patches dropped with prob. r)
        loss_mic = lambda_M * q_T * CE(G(X_M), p_T)        (MIC Eq. 3)

    Composable with DACS (:class:`ClassMixSelfTraining`) and DAFormer's
    parts: the teacher is the model's one, shared. Decision: the mask is
    applied to the normalised input, so a dropped patch holds the
    preprocessor's mean colour (0 after normalisation).

    Args:
        weight (float): lambda_M. Default: 1.0.
        patch_size (int): b. Default: 64.
        ratio (float): r. Default: 0.7.
        threshold (float): tau of q_T. Default: 0.968.
        augment (dict, optional): ``StrongAugment`` arguments for the
            masked image; None (default) masks only.
        levels (dict[str, float]): Weight of each prediction level.
            Default: ``dict(main=1.0)``.
        active (bool): See :class:`BaseAligner`. Default: True.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    uses_target_outputs = False
    needs_teacher = True

    def __init__(self,
                 weight: float = 1.0,
                 patch_size: int = 64,
                 ratio: float = 0.7,
                 threshold: float = 0.968,
                 augment: Optional[dict] = None,
                 levels: Dict[str, float] = dict(main=1.0),
                 active: bool = True,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(active=active, init_cfg=init_cfg)
        if not levels:
            raise ValueError('MaskedImageConsistency needs at least one '
                             'level')
        self.weight = weight
        self.patch_size = patch_size
        self.ratio = ratio
        self.threshold = threshold
        self.augment_cfg = None if augment is None else dict(augment)
        self.levels = dict(levels)
        self._augment: Optional[StrongAugment] = None

    def bind_segmentor(self, segmentor: nn.Module) -> None:
        self._augment = strong_augment_for(segmentor, self.augment_cfg,
                                           type(self).__name__)

    def extra_batches(self, source: dict, target: dict) -> Dict[str, dict]:
        """The masked target batch ``'masked'`` with labels and weights."""
        images = target['inputs']
        n, _, h, w = images.shape
        keep = patch_mask((n, h, w), self.patch_size, self.ratio,
                          device=images.device)
        if self._augment is not None:
            images = self._augment(images)
        q = confidence_weight_from(target['pseudo_confidence'],
                                   self.threshold)
        pseudo = target['pseudo_label']
        return dict(masked=dict(inputs=images * keep.to(images.dtype),
                                data_samples=target['data_samples'],
                                label=pseudo,
                                weight=q[:, None, None].expand(
                                    pseudo.shape).float(),
                                keep=keep[:, 0] > 0,
                                confidence_weight=q))

    def debug_maps(self, source: DomainOutputs,
                   target: DomainOutputs) -> List[DebugMap]:
        """The masked target image G trains on and G's prediction on
        it (to compare with the teacher's label of the whole image)."""
        masked = target.extras['masked']
        return [
            DebugMap('target', 'MIC masked image', 'input', masked.inputs),
            DebugMap('target', 'MIC prediction', 'label',
                     masked.upsampled_logits('main').argmax(dim=1)),
        ]

    def generator_loss(self, source: DomainOutputs,
                       target: DomainOutputs) -> Dict[str, Tensor]:
        """``loss_mic_<level>`` and the mean q_T."""
        # pseudo labels of the unmasked image have no void pixels
        return weighted_extra_batch_losses(target.extras['masked'],
                                           self.levels, self.weight, 'mic',
                                           -1, type(self).__name__)
