"""Test-time ensemble of separately trained segmentors (softmax average)."""
import copy
import math
import numbers
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.config import ConfigDict
from mmengine.runner.checkpoint import _load_checkpoint
from mmengine.structures import PixelData
from torch import Tensor, nn

from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import ConfigType, OptConfigType, OptSampleList, SampleList

#: State-dict prefixes of a ``UDASegmentor`` checkpoint: the network G
#: (kept, prefix stripped) and the adaptation networks (ignored).
UDA_SEGMENTOR_PREFIX = 'segmentor.'
UDA_ALIGNERS_PREFIX = 'aligners.'
#: Absolute tolerance on ``sum(weights) == 1``.
WEIGHT_SUM_TOL = 1e-6


def check_ensemble_weights(weights: Optional[Sequence[float]],
                           num_members: int) -> Tuple[float, ...]:
    """Validate ensemble weights; ``None`` gives equal weights.

    Args:
        weights (Sequence[float], optional): One weight per member, each
            finite and >= 0, summing to 1.
        num_members (int): Number of members.

    Returns:
        tuple[float]: The weights as floats.
    """
    if num_members < 1:
        raise ValueError('SoftmaxEnsemble: needs at least one member')
    if weights is None:
        return (1.0 / num_members, ) * num_members
    if isinstance(weights, (str, bytes)) or not isinstance(
            weights, Sequence):
        raise TypeError('SoftmaxEnsemble: `weights` must be a list of '
                        f'numbers, got {type(weights).__name__}')
    if len(weights) != num_members:
        raise ValueError(
            f'SoftmaxEnsemble: {len(weights)} weights for {num_members} '
            f'members; give one weight per member (got {list(weights)})')
    out = []
    for i, w in enumerate(weights):
        if isinstance(w, bool) or not isinstance(w, numbers.Real):
            raise TypeError(f'SoftmaxEnsemble: weight {i} is {w!r}; '
                            'expected a number')
        if not math.isfinite(w) or w < 0:
            raise ValueError(f'SoftmaxEnsemble: weight {i} is {w}; weights '
                             'must be finite and >= 0')
        out.append(float(w))
    if abs(sum(out) - 1.0) > WEIGHT_SUM_TOL:
        raise ValueError(f'SoftmaxEnsemble: weights {out} sum to {sum(out)}'
                         '; they must sum to 1')
    return tuple(out)


def member_state_dict(checkpoint: dict,
                      own_keys: Sequence[str]) -> 'OrderedDict[str, Tensor]':
    """The state dict of one member from a loaded checkpoint.

    A ``UDASegmentor`` checkpoint holds G under ``segmentor.`` and the
    adaptation networks under ``aligners.``; for a member that is itself a
    plain segmentor (none of its own keys start with ``segmentor.``) the
    former is kept with the prefix stripped and the latter dropped. Any
    other checkpoint (plain MMSeg) is returned as is.

    Args:
        checkpoint (dict): A loaded checkpoint, ``{'state_dict': ...}`` or
            a bare state dict.
        own_keys (Sequence[str]): The member's own state-dict keys.
    """
    state_dict = checkpoint.get('state_dict', checkpoint)
    is_uda = any(k.startswith(UDA_SEGMENTOR_PREFIX) for k in state_dict)
    member_is_uda = any(k.startswith(UDA_SEGMENTOR_PREFIX) for k in own_keys)
    if not is_uda or member_is_uda:
        return OrderedDict(state_dict)
    out = OrderedDict()
    for key, value in state_dict.items():
        if key.startswith(UDA_SEGMENTOR_PREFIX):
            out[key[len(UDA_SEGMENTOR_PREFIX):]] = value
        elif not key.startswith(UDA_ALIGNERS_PREFIX):
            # unknown extras fail the strict load below with their name
            out[key] = value
    return out


def _normalisation(preprocessor: nn.Module) -> tuple:
    """What a data preprocessor does to the pixels a network sees."""
    mean = getattr(preprocessor, 'mean', None)
    std = getattr(preprocessor, 'std', None)
    enabled = getattr(preprocessor, '_enable_normalize', False)
    return (type(preprocessor).__name__,
            bool(getattr(preprocessor, 'channel_conversion',
                         False)), bool(enabled),
            tuple(mean.flatten().tolist()) if enabled else None,
            tuple(std.flatten().tolist()) if enabled else None)


@MODELS.register_module()
class SoftmaxEnsemble(BaseSegmentor):
    """Weighted average of the softmax predictions of N segmentors.

    A test-time ensemble of separately trained models, e.g. ADVENT's
    "AdvEnt+MinEnt" row (an AdvEnt and a MinEnt model, weights 0.5 / 0.5).
    For every image each member predicts in its own usual way (its
    ``predict``: ``test_cfg`` whole / slide inference, padding removal,
    flip and the resize of the logits to ``ori_shape``), the ensemble
    takes the softmax of each member's logits, averages the probabilities
    with ``weights`` and predicts their argmax::

        p = sum_i weights[i] * softmax(logits_i)       (C, H, W) per image
        pred_sem_seg = argmax_c p,  seg_logits = log(p)

    ``seg_logits`` holds the LOG of the averaged probabilities, so that
    ``softmax(seg_logits) == p``: consumers that treat ``seg_logits`` as
    logits (``SegTTAModel`` softmaxes them) see the ensemble's
    probabilities. MMSeg's ``IoUMetric`` and visualiser read
    ``pred_sem_seg`` and work unchanged.

    Members see one preprocessed batch: the ensemble has a single
    ``data_preprocessor``. Given one, it is used; otherwise the first
    member's config's is. Either way every member whose config names a
    data preprocessor must normalise the pixels the same way (type, mean,
    std, channel conversion), else a ``ValueError``: a member trained on
    other inputs would be evaluated on the wrong ones.

    Member checkpoints are loaded (strictly) when the ensemble is built,
    so ``Runner.test`` needs no ``load_from``; :meth:`init_weights` leaves
    them alone. A checkpoint is a plain MMSeg one or an mmseg_uda
    ``UDASegmentor`` one (``segmentor.*`` keys are used, ``aligners.*``
    keys ignored). An ensemble is evaluated, not trained: ``loss`` and
    ``train_step`` raise ``NotImplementedError``.

    Args:
        members (list[dict]): ``dict(model=<segmentor config>,
            checkpoint=<path or URL or None>)`` per member; all members
            must predict the same number of classes (> 1).
        weights (list[float], optional): One weight per member, >= 0,
            summing to 1. Defaults to equal weights.
        data_preprocessor (dict, optional): The shared data preprocessor
            (the Runner passes a config's top-level one here).

    Example::

        model = dict(
            type='SoftmaxEnsemble',
            members=[dict(model=advent_net, checkpoint='advent.pth'),
                     dict(model=minent_net, checkpoint='minent.pth')],
            weights=[0.5, 0.5])
    """

    def __init__(self,
                 members: List[Dict],
                 weights: Optional[Sequence[float]] = None,
                 data_preprocessor: OptConfigType = None) -> None:
        member_cfgs, checkpoints = self._parse_members(members)
        weights = check_ensemble_weights(weights, len(member_cfgs))
        if data_preprocessor is None:
            data_preprocessor = member_cfgs[0].get('data_preprocessor')
        super().__init__(data_preprocessor=data_preprocessor)
        self.weights = weights

        self.members = nn.ModuleList()
        for i, cfg in enumerate(member_cfgs):
            member = MODELS.build(cfg)
            self._check_member(i, cfg, member)
            self.members.append(member)
        self.checkpoints = checkpoints
        for i, path in enumerate(checkpoints):
            if path is not None:
                self._load_member(i, path)

    # ------------------------------------------------------------------
    # Building.
    @staticmethod
    def _parse_members(
            members: List[Dict]) -> Tuple[List[ConfigType], List[str]]:
        if isinstance(members, dict) or not isinstance(members, Sequence):
            raise TypeError(
                'SoftmaxEnsemble: `members` must be a list of '
                'dict(model=<segmentor config>, checkpoint=<path or None>), '
                f'got {type(members).__name__}')
        if not members:
            raise ValueError('SoftmaxEnsemble: `members` is empty')
        cfgs, checkpoints = [], []
        for i, member in enumerate(members):
            if not isinstance(member, dict) or 'model' not in member:
                raise TypeError(
                    f'SoftmaxEnsemble: member {i} must be dict(model=..., '
                    f'checkpoint=...), got {member!r:.200}')
            unknown = set(member) - {'model', 'checkpoint'}
            if unknown:
                raise KeyError(f'SoftmaxEnsemble: member {i} has unknown '
                               f'keys {sorted(unknown)}; expected model, '
                               'checkpoint')
            if not isinstance(member['model'], dict):
                raise TypeError(f'SoftmaxEnsemble: member {i}: `model` must '
                                'be a segmentor config dict, got '
                                f'{type(member["model"]).__name__}')
            path = member.get('checkpoint')
            if path is not None and not isinstance(path, str):
                raise TypeError(f'SoftmaxEnsemble: member {i}: `checkpoint` '
                                f'must be a path or None, got {path!r}')
            # ConfigDict: MMSeg reads nested settings as attributes
            # (`test_cfg.mode`), also when built from plain dicts.
            cfgs.append(ConfigDict(copy.deepcopy(member['model'])))
            checkpoints.append(path)
        return cfgs, checkpoints

    def _check_member(self, index: int, cfg: ConfigType,
                      member: nn.Module) -> None:
        if not isinstance(member, BaseSegmentor):
            raise TypeError(f'SoftmaxEnsemble: member {index} is a '
                            f'{type(member).__name__}, not an MMSeg '
                            'segmentor (BaseSegmentor)')
        channels = getattr(member, 'out_channels', None)
        if channels is not None and channels < 2:
            raise ValueError(
                f'SoftmaxEnsemble: member {index} predicts {channels} '
                'channel (binary sigmoid output); only softmax segmentors '
                '(out_channels >= 2) can be averaged')
        first = getattr(self.members[0], 'out_channels',
                        None) if index else channels
        if channels != first:
            raise ValueError(
                f'SoftmaxEnsemble: member {index} predicts {channels} '
                f'classes, member 0 {first}')
        if cfg.get('data_preprocessor') is not None:
            own = _normalisation(member.data_preprocessor)
            shared = _normalisation(self.data_preprocessor)
            if own != shared:
                raise ValueError(
                    f'SoftmaxEnsemble: member {index} normalises its inputs '
                    f'as {own} (type, channel conversion, normalise, mean, '
                    f'std) but the ensemble data_preprocessor as {shared}; '
                    'members see one preprocessed batch, so they must '
                    'match')

    def _load_member(self, index: int, path: str) -> None:
        """Load member ``index``'s weights from ``path`` (strict)."""
        if '://' not in path and not osp.isfile(osp.expanduser(path)):
            raise FileNotFoundError(f'SoftmaxEnsemble: member {index}: '
                                    f'checkpoint file not found: {path}')
        member = self.members[index]
        try:
            checkpoint = _load_checkpoint(path, map_location='cpu')
        except Exception as e:
            raise RuntimeError(
                f'SoftmaxEnsemble: member {index}: cannot load {path} ({e}). '
                'Full MMEngine checkpoints need '
                'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 (set by tools/test.py; '
                'only load checkpoints you trust)') from e
        if not isinstance(checkpoint, dict):
            raise RuntimeError(f'SoftmaxEnsemble: member {index}: {path} '
                               'holds no state dict')
        state_dict = member_state_dict(checkpoint, member.state_dict())
        try:
            member.load_state_dict(state_dict, strict=True)
        except RuntimeError as e:
            raise RuntimeError(f'SoftmaxEnsemble: member {index}: {path} '
                               f'does not fit its network: {e}') from e

    def init_weights(self) -> None:
        """Initialise the members without a checkpoint only.

        The others were loaded at build time; re-initialising them (the
        Runner does so before training) would discard their weights.
        """
        for member, path in zip(self.members, self.checkpoints):
            if path is None:
                member.init_weights()
        self._is_init = True

    # ------------------------------------------------------------------
    # Read by tools, SegTTAModel and mmseg.apis from a segmentor.
    @property
    def num_classes(self) -> int:
        return self.members[0].num_classes

    @property
    def out_channels(self) -> int:
        return self.members[0].out_channels

    @property
    def align_corners(self) -> bool:
        return self.members[0].align_corners

    # ------------------------------------------------------------------
    # Evaluation.
    def predict(self,
                inputs: Tensor,
                data_samples: OptSampleList = None) -> SampleList:
        """Weighted softmax average of the members' predictions.

        Args:
            inputs (Tensor): Preprocessed images (N, 3, H, W).
            data_samples (list[SegDataSample], optional): Their samples
                (``metainfo``, ``gt_sem_seg``); filled in place.

        Returns:
            list[SegDataSample]: Per image ``seg_logits`` (C, H', W'), the
            log of the averaged probabilities, and ``pred_sem_seg``
            (1, H', W'), at ``ori_shape`` when ``data_samples`` are given
            (else at the input size).
        """
        probs: List[Tensor] = []
        for weight, member in zip(self.weights, self.members):
            # Fresh samples per member: predict writes into them, and the
            # members need only the image meta.
            samples = None if data_samples is None else [
                SegDataSample(metainfo=s.metainfo) for s in data_samples
            ]
            for i, pred in enumerate(member.predict(inputs, samples)):
                prob = weight * pred.seg_logits.data.float().softmax(dim=0)
                if i == len(probs):
                    probs.append(prob)
                else:
                    probs[i] = probs[i] + prob
        if data_samples is None:
            data_samples = [SegDataSample() for _ in probs]
        for sample, prob in zip(data_samples, probs):
            sample.set_data({
                'seg_logits': PixelData(data=self._log(prob)),
                'pred_sem_seg': PixelData(data=prob.argmax(dim=0,
                                                           keepdim=True))
            })
        return data_samples

    @staticmethod
    def _log(prob: Tensor) -> Tensor:
        # tiny, not 0: a probability that underflowed must not become -inf
        # (-inf - -inf is NaN in consumers that subtract a max)
        return prob.clamp_min(torch.finfo(prob.dtype).tiny).log()

    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict]) -> Tensor:
        """Log of the weighted mean of the members' softmax (N, C, H, W) at
        the input size (each member's ``encode_decode``)."""
        prob = sum(w * m.encode_decode(inputs, batch_img_metas).softmax(1)
                   for w, m in zip(self.weights, self.members))
        return self._log(prob)

    def _forward(self,
                 inputs: Tensor,
                 data_samples: OptSampleList = None) -> Tensor:
        """``mode='tensor'``: :meth:`encode_decode` (N, C, H, W)."""
        if data_samples is not None:
            metas = [s.metainfo for s in data_samples]
        else:
            metas = [
                dict(img_shape=inputs.shape[2:],
                     ori_shape=inputs.shape[2:],
                     pad_shape=inputs.shape[2:],
                     padding_size=[0, 0, 0, 0])
            ] * inputs.shape[0]
        return self.encode_decode(inputs, metas)

    def extract_feat(self, inputs: Tensor) -> List[Tensor]:
        raise NotImplementedError(
            'SoftmaxEnsemble.extract_feat: the members have no common '
            'features; call members[i].extract_feat')

    # ------------------------------------------------------------------
    # An ensemble is evaluated, not trained.
    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        raise NotImplementedError(
            'SoftmaxEnsemble is test-time only: train each member with its '
            'own config, then ensemble the checkpoints')

    def train_step(self, data, optim_wrapper) -> Dict[str, Tensor]:
        raise NotImplementedError(
            'SoftmaxEnsemble is test-time only: train each member with its '
            'own config, then ensemble the checkpoints')
