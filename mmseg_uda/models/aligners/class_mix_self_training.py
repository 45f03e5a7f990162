"""DACS: self-training on ClassMix images of source and target."""
from typing import Dict, List, Optional

import torch
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor, nn

from mmseg_uda.structures import DebugMap
from ..losses.pixel_weighted_ce import pixel_weighted_cross_entropy
from ..utils.class_mix import class_mix_mask, confidence_weight, mix
from ..utils.strong_augment import StrongAugment
from .base_aligner import BaseAligner
from .domain_outputs import DomainOutputs


def _labels(data_samples, where: str) -> Tensor:
    """Stacked ``gt_sem_seg`` (N, H, W) long of a batch's samples."""
    missing = [
        s.metainfo.get('img_path', '<unknown image>') for s in data_samples
        if 'gt_sem_seg' not in s
    ]
    if missing:
        raise KeyError(f'{where}: the source samples {missing} have no '
                       'label (gt_sem_seg); the source pipeline needs '
                       'LoadAnnotations')
    return torch.stack([s.gt_sem_seg.data[0] for s in data_samples]).long()


def strong_augment_for(segmentor: nn.Module, cfg: Optional[dict],
                       where: str) -> Optional[StrongAugment]:
    """A :class:`StrongAugment` that knows G's input normalisation."""
    if cfg is None:
        return None
    pre = segmentor.data_preprocessor
    if getattr(pre, 'mean', None) is None or getattr(pre, 'std',
                                                     None) is None:
        raise ValueError(f'{where}: the strong augmentation needs the data '
                         "preprocessor's mean and std (normalised inputs)")
    return StrongAugment(mean=pre.mean.flatten().tolist(),
                         std=pre.std.flatten().tolist(),
                         rgb=bool(getattr(pre, '_channel_conversion', False)),
                         **cfg)


@MODELS.register_module()
class ClassMixSelfTraining(BaseAligner):
    """DACS (Tranheden et al., WACV 2021): train G on mixed images.

    Each source image i is paired with target image i. With the EMA
    teacher's pseudo labels Y^_T (argmax, ``UDASegmentor(teacher=...)``)
    and a ClassMix mask M of half the classes in the source label Y_S
    (DACS Eq. 1-3)::

        X_M = M * X_S + (1 - M) * X_T,   Y_M = M * Y_S + (1 - M) * Y^_T
        q   = share of target pixels with teacher confidence > tau
        loss_mix = w * sum_i q_i CE(G(aug(X_M))_i, Y_M,i) / #pixels

    with q_i = 1 on pasted source pixels and q on target pixels (DACS
    Sec. 3.2; DAFormer Eq. 3), ``aug`` colour jitter and Gaussian blur
    (:class:`StrongAugment`). G's supervised source loss is the
    segmentor's own; this term adds the mixed loss. It reads no output of
    G on the raw target batch, so alone it lets G skip that forward.

    Args:
        weight (float): w. Default: 1.0.
        threshold (float): tau of the confidence weight. Default: 0.968.
        augment (dict, optional): ``StrongAugment`` arguments (besides the
            normalisation, taken from G's preprocessor); None turns the
            augmentation off. Default: ``dict()`` (its defaults).
        levels (dict[str, float]): Weight of each prediction level of G on
            the mixed image. Default: ``dict(main=1.0)``.
        ignore_index (int): Void label of the source. Default: 255.
        active (bool): See :class:`BaseAligner`. Default: True.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    uses_target_outputs = False
    needs_teacher = True

    def __init__(self,
                 weight: float = 1.0,
                 threshold: float = 0.968,
                 augment: Optional[dict] = dict(),
                 levels: Dict[str, float] = dict(main=1.0),
                 ignore_index: int = 255,
                 active: bool = True,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(active=active, init_cfg=init_cfg)
        if not levels:
            raise ValueError('ClassMixSelfTraining needs at least one level')
        self.weight = weight
        self.threshold = threshold
        self.augment_cfg = None if augment is None else dict(augment)
        self.levels = dict(levels)
        self.ignore_index = ignore_index
        self._augment: Optional[StrongAugment] = None

    def bind_segmentor(self, segmentor: nn.Module) -> None:
        self._augment = strong_augment_for(segmentor, self.augment_cfg,
                                           type(self).__name__)

    def extra_batches(self, source: dict, target: dict) -> Dict[str, dict]:
        """The ClassMix batch ``'mixed'`` with its labels and weights."""
        name = type(self).__name__
        src, tgt = source['inputs'], target['inputs']
        if src.shape != tgt.shape:
            raise ValueError(
                f'{name}: source {tuple(src.shape)} and target '
                f'{tuple(tgt.shape)} batches must have the same shape to '
                'be mixed (equal batch sizes and crop sizes)')
        src_labels = _labels(source['data_samples'], name).to(src.device)
        if src_labels.shape[1:] != src.shape[2:]:
            raise ValueError(
                f'{name}: source labels {tuple(src_labels.shape[1:])} and '
                f'images {tuple(src.shape[2:])} differ in size')
        masks = torch.stack([
            class_mix_mask(label, self.ignore_index) for label in src_labels
        ])
        pseudo = target['pseudo_label']
        q = confidence_weight_from(target['pseudo_confidence'],
                                   self.threshold)
        weights = torch.where(masks, torch.ones_like(pseudo,
                                                     dtype=torch.float),
                              q[:, None, None].expand_as(masks))
        images = mix(masks, src, tgt)
        if self._augment is not None:
            images = self._augment(images)
        return dict(mixed=dict(inputs=images,
                               data_samples=target['data_samples'],
                               label=mix(masks, src_labels, pseudo),
                               weight=weights,
                               mask=masks,
                               confidence_weight=q))

    def debug_maps(self, source: DomainOutputs,
                   target: DomainOutputs) -> List[DebugMap]:
        """The mixed image, its paste mask (1: source pixel) and its
        label; the teacher's target pseudo label with the pixels below
        ``threshold`` shown as ignored (they set q, the weight)."""
        mixed = target.extras['mixed']
        label = target.annotations['pseudo_label']
        confident = target.annotations['pseudo_confidence'] >= self.threshold
        return [
            DebugMap('target', f'pseudo label (p >= {self.threshold})',
                     'label',
                     torch.where(confident, label,
                                 torch.full_like(label,
                                                 self.ignore_index))),
            DebugMap('target', 'ClassMix image', 'input', mixed.inputs),
            DebugMap('target', 'ClassMix mask (source)', 'heat',
                     mixed.annotations['mask'].float()),
            DebugMap('target', 'ClassMix label', 'label',
                     mixed.annotations['label']),
        ]

    def generator_loss(self, source: DomainOutputs,
                       target: DomainOutputs) -> Dict[str, Tensor]:
        """``loss_mix_<level>`` and the mean confidence weight q."""
        return weighted_extra_batch_losses(target.extras['mixed'],
                                           self.levels, self.weight, 'mix',
                                           self.ignore_index,
                                           type(self).__name__)


def weighted_extra_batch_losses(outputs: DomainOutputs,
                                levels: Dict[str, float], weight: float,
                                name: str, ignore_index: int,
                                where: str) -> Dict[str, Tensor]:
    """``loss_<name>_<level>`` = weight * w_level * pixel-weighted CE of G's
    outputs on an extra batch against its ``label`` / ``weight``
    annotations, and ``pseudo_weight``, the batch's mean q."""
    present = [lvl for lvl in levels if lvl in outputs.logits]
    if not present:
        raise ValueError(f'{where} levels {list(levels)} are all missing '
                         f'from the outputs ({outputs.levels})')
    losses = {
        f'loss_{name}_{level}':
        weight * levels[level] * pixel_weighted_cross_entropy(
            outputs.upsampled_logits(level), outputs.annotations['label'],
            outputs.annotations['weight'], ignore_index)
        for level in present
    }
    losses['pseudo_weight'] = outputs.annotations['confidence_weight'].mean()
    return losses


def confidence_weight_from(confidence: Tensor, threshold: float) -> Tensor:
    """q per image (N,) from the teacher's top probabilities (N, H, W)."""
    return confidence_weight(confidence.unsqueeze(1), threshold)
