"""Stuff and instance matching (SIM, Wang et al. CVPR'20), SPEC 4.4."""
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapperDict
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor, nn

from ..utils.class_memory_bank import fifo_write, nearest_distance
from ..utils.connected_components import (connected_components,
                                          largest_components)
from .base_aligner import BaseAligner
from .domain_outputs import DomainOutputs

#: Cityscapes train ids of the paper's background ("stuff") classes: road,
#: sidewalk, building, wall, fence, vegetation, terrain, sky.
STUFF_CLASSES = (0, 1, 2, 3, 4, 8, 9, 10)
#: The other 11 evaluation classes are things (pole ... bicycle).
THING_CLASSES = (5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18)


@MODELS.register_module()
class StuffInstanceMatching(BaseAligner):
    """Pull target stuff / instance features to their nearest source sample.

    Features ``f`` are G's backbone map ``feats[feature_index]`` (res5,
    stride 8, for DeepLab-v2), label maps are taken at that resolution.
    A *region* is a set of pixels of one class; its representation is the
    masked mean feature (paper Eqn 5 / 7)::

        A(r, f) = sum_hw r f / max(eps, sum_hw r)         (C,)

    Source side (no gradient, every step, before the target loss):

    * correct map ``L_C = y_s`` (nearest-resized to ``f``) where it equals
      the prediction ``argmax z_s``, ignore elsewhere (Eqn 4);
    * stuff: one region per stuff class present; things: the
      ``max_instances`` largest ``connectivity``-connected components of
      each thing class (Eqn 7, Algorithm 1);
    * a region enters the FIFO bank of its class only if G's classifier
      applied to its mean feature predicts that class (official code;
      ``classifier_check``). Banks: ``stuff_bank_size`` (w = 50) entries
      per stuff class, ``thing_bank_size`` (z * w = 500) per thing class.

    Target side (gradient into ``f_t``) on the predicted map ``argmax z_t``
    (or Eqn 11's pseudo-label-augmented map, ``use_pseudo_labels``)::

        L_stf = mean_i sum_b          min_j |A^b(L_t, f_t) - S^b_j|_1 / C
        L_ins = mean_i sum_k 1/|R_k|  sum_r min_j |A(r, f_t) - S^k_j|_1 / C

    (Eqns 6 and 8; ``|.|_1 / C`` is the mean absolute difference over
    channels, as in the official code). A stuff region needs the classifier
    check too, instances do not (official code). A class is matched only
    once its bank is full. Outputs ``loss_stuff = lambda_stuff * L_stf``
    and ``loss_instance = lambda_instance * L_ins``.

    Decisions where paper and code leave room (see the README):

    * Order: the bank is written from the current source batch first, then
      the target loss uses it, as the official script does in one
      iteration. Both happen in :meth:`generator_loss` (the source part on
      detached tensors under ``no_grad``); :meth:`update` does nothing.
    * Batches: images are the paper's sum over i, averaged here so that the
      loss does not grow with the batch (equal at the reference batch 1).
      Within a class, writes go in image order, then by size (largest
      first); more samples of a class than its capacity in one step keep
      the last. Non-finite samples are never stored.
    * "Full" means ``capacity`` samples written (the official test
      ``ptr > capacity`` waits for one more).
    * Classifier: G's ``decode_head`` (bound by ``UDASegmentor`` through
      :meth:`bind_segmentor`) applied in eval mode to the (M, C, 1, 1)
      mean features. For ``DLV2Head`` (padding = dilation) a dilated 3x3
      conv on a 1x1 map reads only its centre tap, so this is the linear
      classifier ``sum_k W_k[:, :, 1, 1] v + b_k`` of the official code.
      The head must read the same feature level (``in_index``).
    * Banks are fp32 buffers (saved in checkpoints, restored on resume);
      per class ``*_ptr`` is the next write slot and ``*_count`` the number
      of filled slots. Under DDP every rank keeps its own banks (the
      checkpoint holds rank 0's). When ``PseudoLabelHook`` re-initialises
      G for step 2 the banks are emptied (:meth:`reset_state`) and fill
      again from the restarted G.

    Args:
        feat_channels (int): Channels C of the matched feature (2048 for
            ResNet-101 res5).
        stuff_classes (Sequence[int]): Default: :data:`STUFF_CLASSES`.
        thing_classes (Sequence[int]): Default: :data:`THING_CLASSES`.
        feature_index (int): Which of G's ``feats``. Default: -1 (res5).
        level (str): Logits whose argmax is the prediction. Default: 'main'.
        stuff_bank_size (int): w, samples per stuff class. Default: 50.
        thing_bank_size (int): Samples per thing class. Default: 500.
        max_instances (int): z, largest components per image and thing
            class, on both domains. Default: 10.
        lambda_stuff (float): Weight of L_stf (step 1: 0.01, step 2:
            0.001, settable per stage). Default: 0.01.
        lambda_instance (float): Weight of L_ins. Default: 0.01.
        classifier_check (bool): Apply the classifier filter (needs a
            bound segmentor). Default: True.
        connectivity (int): 8 or 4. Default: 8.
        use_pseudo_labels (bool): Eqn 11: on the target side use the target
            ``gt_sem_seg`` (pseudo labels) where it is not ``ignore_index``
            and the prediction elsewhere. The official step-2 script does
            not. Default: False.
        ignore_index (int): Default: 255.
        active (bool): See :class:`BaseAligner`. Default: True.
        init_cfg (dict, optional): Unused (no weights). Default: None.
    """

    def __init__(self,
                 feat_channels: int,
                 stuff_classes: Sequence[int] = STUFF_CLASSES,
                 thing_classes: Sequence[int] = THING_CLASSES,
                 feature_index: int = -1,
                 level: str = 'main',
                 stuff_bank_size: int = 50,
                 thing_bank_size: int = 500,
                 max_instances: int = 10,
                 lambda_stuff: float = 0.01,
                 lambda_instance: float = 0.01,
                 classifier_check: bool = True,
                 connectivity: int = 8,
                 use_pseudo_labels: bool = False,
                 ignore_index: int = 255,
                 active: bool = True,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(active=active, init_cfg=init_cfg)
        stuff, things = list(stuff_classes), list(thing_classes)
        if set(stuff) & set(things):
            raise ValueError('StuffInstanceMatching: classes '
                             f'{sorted(set(stuff) & set(things))} are both '
                             'stuff and thing')
        if not stuff and not things:
            raise ValueError('StuffInstanceMatching needs some classes')
        if min(stuff_bank_size, thing_bank_size, max_instances) < 1:
            raise ValueError('bank sizes and max_instances must be >= 1')
        if connectivity not in (4, 8):
            raise ValueError(f'connectivity must be 4 or 8, got '
                             f'{connectivity}')
        self.feat_channels = feat_channels
        self.feature_index = feature_index
        self.level = level
        self.max_instances = max_instances
        self.lambda_stuff = lambda_stuff
        self.lambda_instance = lambda_instance
        self.classifier_check = classifier_check
        self.connectivity = connectivity
        self.use_pseudo_labels = use_pseudo_labels
        self.ignore_index = ignore_index
        self.register_buffer('stuff_classes',
                             torch.tensor(stuff).long(),
                             persistent=False)
        self.register_buffer('thing_classes',
                             torch.tensor(things).long(),
                             persistent=False)
        # FIFO banks (checkpointed): (classes, capacity, C), the next write
        # slot and the number of filled slots per class.
        for group, n, cap in (('stuff', len(stuff), stuff_bank_size),
                              ('thing', len(things), thing_bank_size)):
            self.register_buffer(f'{group}_bank',
                                 torch.zeros(n, cap, feat_channels))
            self.register_buffer(f'{group}_ptr',
                                 torch.zeros(n, dtype=torch.long))
            self.register_buffer(f'{group}_count',
                                 torch.zeros(n, dtype=torch.long))
        # Out of the module tree: G's head is G's (no duplicate parameters
        # in the state dict, no second optimizer entry).
        object.__setattr__(self, '_head', None)

    # ------------------------------------------------------------------
    def bind_segmentor(self, segmentor: nn.Module) -> None:
        """Use ``segmentor.decode_head`` as the classifier of the check."""
        object.__setattr__(self, '_head', segmentor.decode_head)

    def classify(self, feats: Tensor, num_levels: int) -> Tensor:
        """Class predicted by G's head for each mean feature, no gradient.

        Args:
            feats (Tensor): (M, C) mean features.
            num_levels (int): Length of G's feature list (the head picks
                ``in_index`` from a list; every entry is the 1x1 map).

        Returns:
            Tensor: (M,) long.
        """
        head = self._head
        if head is None:
            raise RuntimeError(
                'StuffInstanceMatching: classifier_check needs G\'s decode '
                'head; build the aligner inside UDASegmentor (which calls '
                'bind_segmentor) or set classifier_check=False')
        in_index = getattr(head, 'in_index', None)
        level = in_index % num_levels if isinstance(in_index, int) else None
        if level != self.feature_index % num_levels:
            raise ValueError(
                'StuffInstanceMatching: the decode head reads feature '
                f'level {in_index!r}, the aligner matches level '
                f'{self.feature_index}; the classifier check needs a head '
                'on the matched feature (set feature_index)')
        x = feats[:, :, None, None]
        was_training = head.training
        head.eval()  # no BN statistics update, no dropout
        try:
            with torch.no_grad():
                logits = head([x] * num_levels)
        finally:
            head.train(was_training)
        return logits.flatten(1).argmax(1)

    # ------------------------------------------------------------------
    @property
    def num_stuff(self) -> int:
        return self.stuff_classes.numel()

    @property
    def num_slots(self) -> int:
        """Regions per image: one per stuff class, z per thing class."""
        return self.num_stuff + self.thing_classes.numel() * \
            self.max_instances

    def slot_classes(self) -> Tensor:
        """(num_slots,) class of every region slot."""
        return torch.cat([
            self.stuff_classes,
            self.thing_classes.repeat_interleave(self.max_instances)
        ])

    def regions(self, label_map: Tensor,
                feat: Tensor) -> Tuple[Tensor, Tensor]:
        """Mean features of the stuff regions and largest instances.

        Slots: ``i < S`` is stuff class ``stuff_classes[i]``; ``S + j * z +
        r`` is the r-th largest component of ``thing_classes[j]``.

        Args:
            label_map (Tensor): (N, h, w) long at the feature's size.
            feat (Tensor): (N, C, h, w).

        Returns:
            tuple[Tensor, Tensor]: means (N, num_slots, C) in fp32 (graph
            kept w.r.t. ``feat``) and pixel counts (N, num_slots) long
            (0 = no such region).
        """
        n, h, w = label_map.shape
        hw = h * w
        flat = label_map.reshape(n, hw)
        slot = torch.full_like(flat, -1)
        # stuff: the slot is the class's position in stuff_classes
        match = flat[..., None] == self.stuff_classes  # (N, HW, S)
        stuff_slot = torch.where(match.any(-1), match.long().argmax(-1), -1)
        slot = torch.where(stuff_slot >= 0, stuff_slot, slot)
        if self.thing_classes.numel():
            is_thing = torch.isin(label_map, self.thing_classes)
            comp = connected_components(label_map, is_thing, self.connectivity)
            reps, _ = largest_components(comp, label_map, self.thing_classes,
                                         self.max_instances)  # (N, T, z)
            ids = self.num_stuff + torch.arange(
                reps[0].numel(), device=flat.device).view_as(reps[0])
            ids = torch.where(reps >= 0, ids, -1).reshape(n, -1)
            # column hw collects the absent components (all write -1)
            root_slot = torch.full((n, hw + 1),
                                   -1,
                                   dtype=torch.long,
                                   device=flat.device)
            root_slot.scatter_(1,
                               torch.where(reps >= 0, reps, hw).reshape(n, -1),
                               ids)
            comp = comp.reshape(n, hw)
            thing_slot = root_slot.gather(1, torch.where(comp >= 0, comp, hw))
            slot = torch.where(thing_slot >= 0, thing_slot, slot)
        onehot = F.one_hot(slot + 1, self.num_slots + 1)[..., 1:]
        counts = onehot.sum(1)  # (N, R)
        # Masked sums as one batched matmul: deterministic (no atomics),
        # fp32 even under autocast.
        with torch.autocast(device_type=feat.device.type, enabled=False):
            sums = torch.bmm(
                onehot.transpose(1, 2).float(),
                feat.float().flatten(2).transpose(1, 2))
        means = sums / counts.clamp(min=1)[..., None]
        return means, counts

    def _feature_and_prediction(
            self, outputs: DomainOutputs) -> Tuple[Tensor, Tensor]:
        feat = outputs.feats[self.feature_index]
        if feat.shape[1] != self.feat_channels:
            raise ValueError(
                f'StuffInstanceMatching expects {self.feat_channels}-channel '
                f'features at index {self.feature_index}, got '
                f'{tuple(feat.shape)}')
        logits = outputs.logits[self.level]
        if logits.shape[2:] != feat.shape[2:]:
            logits = F.interpolate(logits,
                                   size=feat.shape[2:],
                                   mode='bilinear',
                                   align_corners=outputs.align_corners)
        return feat, logits.detach().argmax(1)

    def _labels_at(self, outputs: DomainOutputs, size) -> Optional[Tensor]:
        """Labels nearest-resized to ``size``, (N, h, w) long, or None."""
        labels = outputs.gt_sem_seg()
        if labels is None:
            return None
        labels = labels.to(outputs.logits[self.level].device)
        return F.interpolate(labels[:, None].float(),
                             size=size,
                             mode='nearest')[:, 0].long()

    # ------------------------------------------------------------------
    @torch.no_grad()
    def reset_banks(self) -> None:
        """Empty every bank (e.g. when G is re-initialised for step 2)."""
        for group in ('stuff', 'thing'):
            for name in ('bank', 'ptr', 'count'):
                getattr(self, f'{group}_{name}').zero_()

    def reset_state(self) -> None:
        """Empty the banks when G is re-initialised (``PseudoLabelHook``):
        step-1 features do not belong to the restarted network."""
        self.reset_banks()

    @torch.no_grad()
    def write_banks(self, means: Tensor, counts: Tensor,
                    num_levels: int) -> Tensor:
        """Store the source regions that pass the checks (Algorithm 1).

        Args:
            means (Tensor): (N, num_slots, C) source region features.
            counts (Tensor): (N, num_slots) their pixel counts.
            num_levels (int): Length of G's feature list (classifier).

        Returns:
            Tensor: number of samples stored (scalar long).
        """
        # non-finite features (a diverging step) must never enter a bank
        ok = (counts > 0) & torch.isfinite(means).all(-1)
        if self.classifier_check:
            pred = self.classify(means.flatten(0, 1), num_levels).view_as(ok)
            ok &= pred == self.slot_classes()
        s = self.num_stuff
        stored = fifo_write(self.stuff_bank, self.stuff_ptr, self.stuff_count,
                            means[:, :s, None], ok[:, :s, None])
        n, z = means.shape[0], self.max_instances
        stored = stored + fifo_write(
            self.thing_bank, self.thing_ptr, self.thing_count,
            means[:, s:].reshape(n, -1, z, means.shape[-1]), ok[:, s:].reshape(
                n, -1, z))
        return stored

    def matching_losses(self, means: Tensor, counts: Tensor,
                        num_levels: int) -> Tuple[Tensor, Tensor]:
        """``L_stf`` and ``L_ins`` (unweighted) of target regions.

        Args:
            means (Tensor): (N, num_slots, C) target region features.
            counts (Tensor): (N, num_slots) pixel counts.
            num_levels (int): Length of G's feature list (classifier).

        Returns:
            tuple[Tensor, Tensor]: scalar losses.
        """
        n, _, c = means.shape
        s, z = self.num_stuff, self.max_instances
        stuff, things = means[:, :s], means[:, s:].reshape(n, -1, z, c)
        stuff_ok = counts[:, :s] > 0
        if self.classifier_check and s:
            pred = self.classify(stuff.detach().flatten(0, 1),
                                 num_levels).view_as(stuff_ok)
            stuff_ok &= pred == self.stuff_classes
        stuff_ok &= self.stuff_count == self.stuff_bank.shape[1]
        thing_ok = counts[:, s:].reshape(n, -1, z) > 0
        thing_ok &= (self.thing_count == self.thing_bank.shape[1])[:, None]

        loss_stuff = means.new_zeros(())
        if s:
            d = nearest_distance(stuff.transpose(0, 1), self.stuff_bank)
            loss_stuff = (d.t() * stuff_ok).sum() / n
        loss_instance = means.new_zeros(())
        if things.shape[1]:
            d = nearest_distance(
                things.permute(1, 0, 2, 3).reshape(things.shape[1], -1, c),
                self.thing_bank).reshape(-1, n, z).transpose(0, 1)  # N, T, z
            per_class = (d * thing_ok).sum(2) / thing_ok.sum(2).clamp(min=1)
            loss_instance = per_class.sum() / n
        return loss_stuff, loss_instance

    # ------------------------------------------------------------------
    def generator_loss(self, source: DomainOutputs,
                       target: DomainOutputs) -> Dict[str, Tensor]:
        """Write the source banks, then match the target regions.

        Returns:
            dict[str, Tensor]: ``loss_stuff``, ``loss_instance`` (weighted)
            and the log values ``stored`` (source samples written this
            step), ``full_banks`` (classes whose bank is full).
        """
        num_levels = len(source.feats)
        with torch.no_grad():
            feat_s, pred_s = self._feature_and_prediction(source)
            labels = self._labels_at(source, feat_s.shape[2:])
            if labels is None:
                raise ValueError('StuffInstanceMatching: the source batch '
                                 'has no gt_sem_seg')
            correct = torch.where(labels == pred_s, labels,
                                  labels.new_full((), self.ignore_index))
            means, counts = self.regions(correct, feat_s.detach())
            stored = self.write_banks(means, counts, num_levels)

        feat_t, pred_t = self._feature_and_prediction(target)
        if self.use_pseudo_labels:
            pseudo = self._labels_at(target, feat_t.shape[2:])
            if pseudo is None:
                raise ValueError(
                    'StuffInstanceMatching(use_pseudo_labels=True): the '
                    'target batch has no gt_sem_seg (pseudo labels)')
            pred_t = torch.where(pseudo != self.ignore_index, pseudo, pred_t)
        means, counts = self.regions(pred_t, feat_t)
        loss_stuff, loss_instance = self.matching_losses(
            means, counts, len(target.feats))
        full = (self.stuff_count == self.stuff_bank.shape[1]).sum() + (
            self.thing_count == self.thing_bank.shape[1]).sum()
        return dict(loss_stuff=self.lambda_stuff * loss_stuff,
                    loss_instance=self.lambda_instance * loss_instance,
                    stored=stored.float(),
                    full_banks=full.float())

    def update(self, source: DomainOutputs, target: DomainOutputs,
               optim_wrapper: OptimWrapperDict,
               name: str) -> Dict[str, Tensor]:
        """Nothing: the banks are written in :meth:`generator_loss`."""
        return {}
