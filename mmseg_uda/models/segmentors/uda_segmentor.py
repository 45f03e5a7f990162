"""Segmentation network G plus adaptation terms (SPEC section 2)."""
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.distributed as dist
import torch.nn.functional as F
from mmengine.model import ModuleDict, is_model_wrapper
from mmengine.optim import OptimWrapper, OptimWrapperDict
from torch import Tensor, nn

from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg_uda.structures import DebugMap
from mmseg.utils import (ConfigType, OptConfigType, OptMultiConfig,
                         OptSampleList, SampleList, add_prefix)
from ..utils.joint_update import joint_update
from ..aligners import BaseAligner, DomainOutputs
from ..utils import EMATeacher, requires_grad
from .generator_forward import GeneratorForward

#: Optimizer key of the segmentation network G.
SEGMENTOR_KEY = 'segmentor'


def _unwrap(module: nn.Module) -> nn.Module:
    """The module inside a (separate) DDP wrapper, else ``module``."""
    return module.module if is_model_wrapper(module) else module


@MODELS.register_module()
class UDASegmentor(BaseSegmentor):
    """Unsupervised domain adaptation around any MMSeg segmentor.

    ``segmentor`` is the network G (e.g. an ``EncoderDecoder`` with a main
    ``decode_head`` and an optional ``auxiliary_head``); ``aligners`` are the
    adaptation terms of the method (``OutputAdversarial``,
    ``LocalAdversarial``, ...), kept in a ``ModuleDict`` in config order.
    One training step (:meth:`train_step`)::

        source, target = data['source'], data['target']
        with all aligner networks frozen (except active joint modules):
            [teacher:] target += EMA teacher's pseudo labels (no grad)
            extra = aligner.extra_batches(source, target)  (active)
            S, T, E = G(source), G(target), G(extra)  (one GeneratorForward
                      call; T skipped when no active aligner reads it)
            losses = supervised losses of S ('decode.*', 'aux.*')
            losses += '<name>.*' of aligner.generator_loss(S, T)  (active;
                      T.extras = G's outputs on that aligner's batches)
            one backward; step 'segmentor' and every active joint module
        for every active aligner:
            log '<name>.*' of aligner.update(S.detach(), T.detach(), ...)
        [teacher:] EMA update from G's new weights

    Evaluation, prediction and the data preprocessor are the wrapped
    segmentor's own (one object), so MMSeg's metrics, visualiser and test
    tool work unchanged, and the ``segmentor.`` part of a checkpoint is a
    plain MMSeg checkpoint (``tools/export_segmentor.py``).

    Multi-GPU: train with ``model_wrapper_cfg =
    dict(type='UDADistributedDataParallel')``, which wraps G's training
    forward (:class:`GeneratorForward`) and every aligner network in its
    own DDP (:meth:`distributed_networks`); MMEngine's default wrapper
    would call ``train_step`` around DDP and never all-reduce gradients,
    so it is refused.

    Args:
        segmentor (dict): Config of the MMSeg segmentor G. It must expose
            ``extract_feat`` and a single ``decode_head``.
        aligners (dict[str, dict], optional): Aligner configs keyed by name;
            the name prefixes their losses and their optimizer keys
            (``'<name>.<network>'``). Names must not contain dots.
        teacher (dict, optional): An EMA teacher of G (DACS, DAFormer,
            MIC): ``dict(alpha=0.99)`` (``EMATeacher`` arguments). It labels
            every target batch (argmax and top probability of its main
            head's softmax at the input size) for the aligners that need it
            and follows G after each step; it is in checkpoints. Default:
            None.
        evaluate_teacher (bool): Validate, test and predict with the
            teacher instead of G (DAFormer evaluates the student, the
            default; the teacher is often the better model). Default: False.
        data_preprocessor (dict, optional): Given to G in place of
            ``segmentor``'s own (the Runner passes a config's top-level
            ``data_preprocessor`` here); G and the UDA model share one.
        init_cfg (dict, optional): Initialisation config.

    Example::

        model = dict(
            type='UDASegmentor',
            segmentor=dict(type='EncoderDecoder', ...),
            aligners=dict(output_adv=dict(type='OutputAdversarial', ...)))
    """

    def __init__(self,
                 segmentor: ConfigType,
                 aligners: Optional[Dict[str, ConfigType]] = None,
                 teacher: OptConfigType = None,
                 evaluate_teacher: bool = False,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        if not isinstance(segmentor, dict):
            raise TypeError('UDASegmentor: `segmentor` must be a config '
                            f'dict, got {type(segmentor).__name__}')
        segmentor = segmentor.copy()
        if data_preprocessor is not None:
            # MMEngine's Runner passes a config's top-level
            # `data_preprocessor` to the model; in MMSeg configs that is the
            # one users edit (`data_preprocessor = dict(size=crop_size)`),
            # so it takes precedence over the copy inside `segmentor`.
            segmentor['data_preprocessor'] = data_preprocessor
        # BaseModel would build a second, default preprocessor here; it is
        # replaced by G's below.
        super().__init__(data_preprocessor=None, init_cfg=init_cfg)
        self.segmentor = MODELS.build(segmentor)
        self._check_segmentor(self.segmentor)
        self.data_preprocessor = self.segmentor.data_preprocessor

        # Out of the module tree (object.__setattr__): it shares G's
        # parameters and must not duplicate them in the state dict.
        object.__setattr__(self, '_generator', GeneratorForward(
            self.segmentor))
        object.__setattr__(self, '_generator_ddp', None)
        #: Skip a step whose loss is NaN / inf (set by NonFiniteLossHook).
        self.skip_non_finite = False

        # MMEngine's ModuleDict: init_weights reaches the aligners' init_cfg
        self.aligners = ModuleDict()
        for name, cfg in (aligners or {}).items():
            if not isinstance(name, str) or not name.isidentifier():
                raise ValueError(
                    f'UDASegmentor: aligner name {name!r} must be a Python '
                    "identifier (it forms optimizer keys '<name>.<net>')")
            aligner = MODELS.build(cfg) if isinstance(cfg, dict) else cfg
            if not isinstance(aligner, BaseAligner):
                raise TypeError(
                    f'UDASegmentor: aligner {name!r} is a '
                    f'{type(aligner).__name__}; expected a BaseAligner '
                    'subclass (mmseg_uda.models.aligners)')
            self.aligners[name] = aligner
            aligner.bind_segmentor(self.segmentor)
            if aligner.needs_teacher and teacher is None:
                raise ValueError(
                    f'UDASegmentor: aligner {name!r} '
                    f'({type(aligner).__name__}) trains on the EMA '
                    "teacher's pseudo labels; add teacher=dict(alpha=...) "
                    'to the model config')
        if evaluate_teacher and teacher is None:
            raise ValueError('UDASegmentor: evaluate_teacher=True needs a '
                             'teacher (teacher=dict(alpha=...))')
        # A child module: the teacher's weights and its place on the alpha
        # ramp are saved and resumed with the model.
        self.teacher = (EMATeacher(self.segmentor, **teacher)
                        if teacher is not None else None)
        self.evaluate_teacher = evaluate_teacher

    @staticmethod
    def _check_segmentor(segmentor: nn.Module) -> None:
        for attr in ('extract_feat', 'decode_head'):
            if not hasattr(segmentor, attr):
                raise TypeError(
                    f'UDASegmentor: the segmentor '
                    f'{type(segmentor).__name__} has no `{attr}`; expected '
                    'an EncoderDecoder-like segmentor')
        if isinstance(segmentor.decode_head, nn.ModuleList):
            raise NotImplementedError(
                'UDASegmentor: cascaded decode heads '
                f'({type(segmentor.decode_head).__name__} of '
                f'{type(segmentor).__name__}) are not supported; use a '
                'single decode_head (+ auxiliary_head)')

    # ------------------------------------------------------------------
    # Properties that tools read from a segmentor.
    @property
    def with_neck(self) -> bool:
        return _unwrap(self.segmentor).with_neck

    @property
    def with_auxiliary_head(self) -> bool:
        return _unwrap(self.segmentor).with_auxiliary_head

    @property
    def with_decode_head(self) -> bool:
        return _unwrap(self.segmentor).with_decode_head

    # SegTTAModel and mmseg.apis read these from the model they wrap.
    @property
    def decode_head(self) -> nn.Module:
        return _unwrap(self.segmentor).decode_head

    @property
    def num_classes(self) -> int:
        return _unwrap(self.segmentor).num_classes

    @property
    def out_channels(self) -> int:
        return _unwrap(self.segmentor).out_channels

    @property
    def align_corners(self) -> bool:
        return _unwrap(self.segmentor).align_corners

    def _aligner_items(self) -> List[Tuple[str, BaseAligner]]:
        return list(_unwrap(self.aligners).items())

    def active_aligners(self) -> List[Tuple[str, BaseAligner]]:
        """``(name, aligner)`` of the aligners active now, config order."""
        return [(n, a) for n, a in self._aligner_items() if a.active]

    def aligner_parameters(self) -> List[nn.Parameter]:
        """Parameters of every aligner network (``aligner.networks()``)."""
        params = []
        for _, aligner in self._aligner_items():
            for net in aligner.networks().values():
                params.extend(net.parameters())
        return params

    # ------------------------------------------------------------------
    # Training.
    def distributed_networks(self) -> Dict[str, nn.Module]:
        """Units to wrap in their own DDP for multi-GPU training.

        ``'segmentor'`` is G's training forward (:class:`GeneratorForward`);
        ``'<aligner>.<path>'`` are the aligners' callable networks
        (``BaseAligner.callable_networks``).
        """
        nets = {SEGMENTOR_KEY: self._generator}
        for name, aligner in self._aligner_items():
            for path, net in aligner.callable_networks().items():
                nets[f'{name}.{path}'] = net
        return nets

    def set_distributed_networks(self, wrapped: Dict[str,
                                                     nn.Module]) -> None:
        """Install DDP wrappers keyed like :meth:`distributed_networks`."""
        unknown = set(wrapped) - set(self.distributed_networks())
        if unknown:
            raise KeyError(f'UDASegmentor: no networks {sorted(unknown)}')
        object.__setattr__(self, '_generator_ddp',
                           wrapped.get(SEGMENTOR_KEY))
        for name, aligner in self._aligner_items():
            prefix = f'{name}.'
            aligner.set_distributed({
                key[len(prefix):]: ddp
                for key, ddp in wrapped.items() if key.startswith(prefix)
            })

    def _check_distributed(self) -> None:
        if (self._generator_ddp is None and dist.is_available()
                and dist.is_initialized() and dist.get_world_size() > 1):
            raise RuntimeError(
                'UDASegmentor: distributed training needs '
                "model_wrapper_cfg = dict(type='UDADistributedDataParallel')"
                ' in the config; without it G and the discriminators would '
                'train without gradient all-reduce')

    def _outputs(self, data: dict, inputs: Tensor, feats: List[Tensor],
                 logits: Dict[str, Tensor]) -> DomainOutputs:
        """G's outputs on ``data``; its keys besides ``inputs`` and
        ``data_samples`` (teacher labels, mixed labels) become the
        ``annotations``."""
        return DomainOutputs(
            inputs=inputs,
            data_samples=data['data_samples'],
            feats=feats,
            logits=logits,
            align_corners=_unwrap(self.segmentor).decode_head.align_corners,
            annotations={
                k: v
                for k, v in data.items()
                if k not in ('inputs', 'data_samples')
            })

    def forward_domain(self, data: dict) -> DomainOutputs:
        """Run G once on a preprocessed batch of one domain (no DDP).

        Args:
            data (dict): ``inputs`` (N, 3, H, W) and ``data_samples``.

        Returns:
            DomainOutputs: features, ``'main'`` logits (N, C, h, w) of the
            decode head and ``'aux'`` (or ``'aux_<i>'`` for a list of
            auxiliary heads) logits, at the heads' native resolution.
        """
        feats, logits = self._generator.forward_domain(data['inputs'])
        return self._outputs(data, data['inputs'], feats, logits)

    def forward_domains(self, source: dict,
                        target: dict) -> Tuple[DomainOutputs, DomainOutputs]:
        """G on both preprocessed batches in one (DDP-visible) forward."""
        return tuple(self.forward_batches([source, target]))

    def forward_batches(self,
                        batches: List[dict],
                        distributed: bool = True) -> List[DomainOutputs]:
        """G on every preprocessed batch in one (DDP-visible) forward.

        A batch's keys besides ``inputs`` and ``data_samples`` become the
        outputs' ``annotations``. ``distributed=False`` calls the plain G
        (a forward on one rank only, e.g. for pictures).
        """
        generator = ((self._generator_ddp if distributed else None)
                     or self._generator)
        results = generator(*[b['inputs'] for b in batches])
        return [
            self._outputs(batch, batch['inputs'], feats, logits)
            for batch, (feats, logits) in zip(batches, results)
        ]

    # ------------------------------------------------------------------
    # EMA teacher.
    def init_weights(self) -> None:
        super().init_weights()
        if self.teacher is not None:
            # Built before G's own initialisation (pretrained weights):
            # start from the initialised G.
            self.reset_teacher()

    def reset_teacher(self) -> None:
        """Make the teacher a copy of G and restart its alpha ramp.

        Called at initialisation and by ``PseudoLabelHook`` after it
        re-initialises G. The first teacher prediction of a run copies G
        again (``num_updates`` 0), so weights loaded into G after this
        (``load_from``) reach the teacher. Nothing without a teacher.
        """
        if self.teacher is not None:
            self.teacher.reset(_unwrap(self.segmentor))

    def teacher_pseudo_labels(self, inputs: Tensor) -> Dict[str, Tensor]:
        """The teacher's labels of a preprocessed batch, no gradients.

        Returns:
            dict: ``pseudo_label`` (N, H, W) long, the argmax of the
            softmax of the teacher's main head at the input size, and
            ``pseudo_confidence`` (N, H, W) float, its top probability.
        """
        if int(self.teacher.num_updates) == 0:
            # update 0 has alpha 0: the teacher starts as the G this step
            # trains (after load_from, a reinit, ...); with the update after
            # each step this is DAFormer's ramp, alpha_n at iteration n
            self.teacher.update(_unwrap(self.segmentor))
        align_corners = self.align_corners

        def predict(model: nn.Module, x: Tensor) -> Tensor:
            logits = model.decode_head(model.extract_feat(x))
            return F.interpolate(logits,
                                 size=x.shape[2:],
                                 mode='bilinear',
                                 align_corners=align_corners)

        logits = self.teacher.predict(predict, inputs)
        with torch.autocast(device_type=logits.device.type, enabled=False):
            confidence, label = F.softmax(logits.float(), dim=1).max(dim=1)
        return dict(pseudo_label=label, pseudo_confidence=confidence)

    def supervised_losses(self, outputs: DomainOutputs) -> Dict[str, Tensor]:
        """Heads' own ``loss_by_feat`` on logits already computed.

        Same names as ``EncoderDecoder.loss``: ``decode.*``, ``aux.*`` (or
        ``aux_<i>.*``), without a second forward pass of the heads.
        """
        seg = _unwrap(self.segmentor)
        samples = outputs.data_samples
        losses = add_prefix(
            seg.decode_head.loss_by_feat(outputs.logits['main'], samples),
            'decode')
        if seg.with_auxiliary_head:
            heads = seg.auxiliary_head
            if isinstance(heads, nn.ModuleList):
                for i, head in enumerate(heads):
                    losses.update(
                        add_prefix(
                            head.loss_by_feat(outputs.logits[f'aux_{i}'],
                                              samples), f'aux_{i}'))
            else:
                losses.update(
                    add_prefix(
                        heads.loss_by_feat(outputs.logits['aux'], samples),
                        'aux'))
        return losses

    def _segmentor_wrapper(
            self, optim_wrapper: Union[OptimWrapper,
                                       OptimWrapperDict]) -> OptimWrapper:
        """G's optimizer wrapper; a plain wrapper only without networks."""
        if isinstance(optim_wrapper, OptimWrapperDict):
            if SEGMENTOR_KEY not in optim_wrapper:
                raise KeyError(
                    f'UDASegmentor: optim_wrapper has no {SEGMENTOR_KEY!r} '
                    f'key (keys: {sorted(optim_wrapper.keys())})')
            return optim_wrapper[SEGMENTOR_KEY]
        if self.aligner_parameters():
            raise TypeError(
                'UDASegmentor: aligners with their own networks need a dict '
                "optim_wrapper (constructor='UDAOptimWrapperConstructor') "
                'with one key per network; got a single '
                f'{type(optim_wrapper).__name__}')
        return optim_wrapper

    def train_step(
        self, data: dict,
        optim_wrapper: Union[OptimWrapper,
                             OptimWrapperDict]) -> Dict[str, Tensor]:
        """One UDA step: update G once, then every active aligner network.

        Args:
            data (dict): ``{'source': {'inputs', 'data_samples'},
                'target': {...}}`` as collated from ``UDADataset``.
            optim_wrapper (OptimWrapperDict): Key ``'segmentor'`` for G
                and ``'<aligner>.<network>'`` for aligner networks. A
                single ``OptimWrapper`` is accepted when no aligner owns a
                network (e.g. source only, entropy minimisation).

        Returns:
            dict[str, Tensor]: ``loss`` (G's total), G's loss terms, and
            each aligner's ``update`` values prefixed ``'<name>.'``.
        """
        for domain in ('source', 'target'):
            if not isinstance(data, dict) or domain not in data:
                got = sorted(data) if isinstance(data, dict) else type(data)
                raise KeyError(
                    f'UDASegmentor.train_step: the batch has no {domain!r} '
                    f'part (got {got}); train with UDADataset, which '
                    "yields {'source': ..., 'target': ...}")
        self._check_distributed()
        g_wrapper = self._segmentor_wrapper(optim_wrapper)
        active = self.active_aligners()
        joint = [(name, child) for name, aligner in active
                 for child in aligner.joint_modules]
        joint_ids = {
            id(p)
            for name, child in joint
            for p in getattr(self.aligners[name], child).parameters()
        }
        frozen = [
            p for p in self.aligner_parameters() if id(p) not in joint_ids
        ]
        wrappers = [g_wrapper] + [
            optim_wrapper[f'{name}.{child}'] for name, child in joint
        ]

        # A skipped step must leave no trace: the forward also moves
        # buffers (BN statistics, SIM's feature banks), so keep a copy.
        saved_buffers = ([b.detach().clone() for b in self.buffers()]
                         if self.skip_non_finite else None)
        with requires_grad(frozen, False):
            with g_wrapper.optim_context(self._generator_ddp
                                         or self.segmentor):
                source, target, extras = self._forward_step(
                    active, self.data_preprocessor(data['source'], True),
                    self.data_preprocessor(data['target'], True))
                losses = self.supervised_losses(source)
                for name, aligner in active:
                    losses.update(
                        add_prefix(
                            aligner.generator_loss(
                                source,
                                target.with_extras(extras.get(name, {}))),
                            name))
            loss, log_vars = self.parse_losses(losses)
            if self.skip_non_finite and not torch.isfinite(loss):
                # NonFiniteLossHook(action='skip'): drop the whole step,
                # G's and every aligner network's, buffers included.
                with torch.no_grad():
                    for buf, value in zip(self.buffers(), saved_buffers):
                        buf.copy_(value)
                log_vars['skipped_non_finite'] = 1.0
                return log_vars
            joint_update(loss, wrappers)

        source, target = source.detach(), target.detach()
        for name, aligner in active:
            own = {k: v.detach() for k, v in extras.get(name, {}).items()}
            values = aligner.update(source, target.with_extras(own),
                                    optim_wrapper, name)
            for key, value in add_prefix(values, name).items():
                if key in log_vars:
                    raise KeyError(
                        f'UDASegmentor: aligner {name!r} returns {key!r} '
                        'from both generator_loss and update; use '
                        'distinct names')
                if isinstance(value, Tensor):
                    value = value.detach().mean()
                log_vars[key] = value
        if self.teacher is not None:
            log_vars['teacher.alpha'] = self.teacher.update(
                _unwrap(self.segmentor))
        return log_vars

    def _forward_step(
        self,
        active: List[Tuple[str, BaseAligner]],
        source: dict,
        target: dict,
        distributed: bool = True
    ) -> Tuple[DomainOutputs, DomainOutputs, Dict[str, Dict[
            str, DomainOutputs]]]:
        """Teacher labels, the aligners' extra batches and G's one forward.

        Returns:
            tuple: source and target outputs (the target's without logits
            when no active aligner reads them) and, per aligner name, G's
            outputs on its extra batches.
        """
        if self.teacher is not None and any(a.needs_teacher
                                            for _, a in active):
            target = dict(target,
                          **self.teacher_pseudo_labels(target['inputs']))
        requests = []
        with torch.no_grad():
            for name, aligner in active:
                for key, batch in aligner.extra_batches(source,
                                                        target).items():
                    if 'inputs' not in batch or 'data_samples' not in batch:
                        raise KeyError(
                            f'UDASegmentor: extra batch {key!r} of aligner '
                            f'{name!r} needs inputs and data_samples (got '
                            f'{sorted(batch)})')
                    requests.append((name, key, batch))
        # Without active aligners G still sees the target (as always); it
        # is skipped only when every active aligner says it does not read
        # it.
        with_target = not active or any(a.uses_target_outputs
                                        for _, a in active)
        batches = [source] + ([target] if with_target else [])
        outputs = self.forward_batches(batches + [b for _, _, b in requests],
                                       distributed)
        source_out = outputs[0]
        target_out = (outputs[1]
                      if with_target else self._outputs(
                          target, target['inputs'], [], {}))
        extras: Dict[str, Dict[str, DomainOutputs]] = {}
        for (name, key, _), out in zip(requests,
                                       outputs[len(batches):]):
            extras.setdefault(name, {})[key] = out
        return source_out, target_out, extras

    def debug_maps(self, data: dict) -> List[DebugMap]:
        """Pictures of one training step on ``data``, for the panels.

        Runs what ``train_step`` runs before its backward pass (teacher
        labels, the aligners' extra batches, G's forward) in eval mode,
        without gradients, on this process only (no DDP collective), and
        updates nothing. The caller keeps the random state if it must
        (ClassMix classes, MIC masks and colour jitter draw from it).

        Args:
            data (dict): ``{'source': ..., 'target': ...}`` collated as
                ``UDADataset`` batches are.

        Returns:
            list[DebugMap]: source image, label, prediction; target image,
            label (when the batch has one: ground truth or offline pseudo
            labels), prediction, the teacher's confidence when there is a
            teacher; then each active aligner's maps, titled
            ``'<aligner>: <map>'``.
        """
        mode = self.training
        self.eval()
        try:
            with torch.no_grad():
                active = self.active_aligners()
                source, target, extras = self._forward_step(
                    active,
                    self.data_preprocessor(data['source'], True),
                    self.data_preprocessor(data['target'], True),
                    distributed=False)
                if not target.logits:
                    # skipped in training (no aligner reads it): the
                    # panel still shows G on the target
                    target = self.forward_batches([
                        dict(target.annotations,
                             inputs=target.inputs,
                             data_samples=target.data_samples)
                    ], False)[0]
                maps = []
                for domain, out in (('source', source), ('target', target)):
                    maps.append(DebugMap(domain, 'image', 'input', out.inputs))
                    label = out.gt_sem_seg()
                    if label is not None:
                        maps.append(DebugMap(domain, 'label', 'label', label))
                    if 'main' in out.logits:
                        maps.append(
                            DebugMap(domain, 'prediction', 'label',
                                     out.upsampled_logits('main').argmax(1)))
                if 'pseudo_confidence' in target.annotations:
                    maps.append(
                        DebugMap('target', 'teacher confidence', 'heat',
                                 target.annotations['pseudo_confidence']))
                for name, aligner in active:
                    for m in aligner.debug_maps(
                            source, target.with_extras(extras.get(name, {}))):
                        m.name = f'{name}: {m.name}'
                        maps.append(m)
            return maps
        finally:
            self.train(mode)

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """Not used: UDA training needs both domains, see train_step."""
        raise NotImplementedError(
            'UDASegmentor.loss: UDA training goes through train_step() '
            "with a {'source': ..., 'target': ...} batch from UDADataset; "
            'call segmentor.loss() for the plain supervised loss')

    # ------------------------------------------------------------------
    # Everything else is G's.
    def evaluated_network(self) -> nn.Module:
        """The network validated, tested and exported: G, or the teacher's
        copy of it with ``evaluate_teacher``."""
        if self.evaluate_teacher:
            return self.teacher.model
        return self.segmentor

    def val_step(self, data: Union[tuple, dict, list]) -> list:
        return self.evaluated_network().val_step(data)

    def test_step(self, data: Union[dict, tuple, list]) -> list:
        return self.evaluated_network().test_step(data)

    def predict(self,
                inputs: Tensor,
                data_samples: OptSampleList = None) -> SampleList:
        return _unwrap(self.evaluated_network()).predict(inputs, data_samples)

    def _forward(self,
                 inputs: Tensor,
                 data_samples: OptSampleList = None) -> Tensor:
        return _unwrap(self.evaluated_network())._forward(
            inputs, data_samples)

    def extract_feat(self, inputs: Tensor) -> List[Tensor]:
        return _unwrap(self.evaluated_network()).extract_feat(inputs)

    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict]) -> Tensor:
        return _unwrap(self.evaluated_network()).encode_decode(
            inputs, batch_img_metas)
