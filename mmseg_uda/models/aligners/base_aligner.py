"""Interface of an adaptation term ("aligner"), SPEC section 2."""
from typing import Dict, List, Mapping, Tuple

from mmengine.model import BaseModule
from mmengine.optim import OptimWrapperDict
from torch import Tensor, nn

from mmseg_uda.structures import DebugMap
from .domain_outputs import DomainOutputs


class BaseAligner(BaseModule):
    """One registered adaptation term of a UDA method.

    A method is a composition of aligners held by ``UDASegmentor`` in a
    ``ModuleDict`` (``model.aligners.<name>``). In every training step the
    segmentor

    1. runs G on the source and the target batch (:class:`DomainOutputs`),
    2. adds ``generator_loss(source, target)`` of every *active* aligner to
       the supervised loss and back-propagates once into G, with every
       aligner network frozen (``requires_grad=False``) so that G's loss
       never writes gradients into a discriminator,
    3. calls ``update(source.detach(), target.detach(), optim_wrapper)`` of
       every active aligner, which trains the aligner's own networks.

    Networks with their own optimizer are the child modules named in
    ``optim_modules``; their optimizer key in the config's ``optim_wrapper``
    dict is ``'<aligner name>.<child name>'`` (e.g.
    ``'output_adv.discriminators'``); G's key is ``'segmentor'``.

    ``joint_modules`` (a subset of ``optim_modules``) are networks that G's
    loss trains together with G (e.g. LDR's reconstruction net): they are
    not frozen in G's step, and their optimizers step after G's backward.

    Under multi-GPU training (``UDADistributedDataParallel``) every
    network is wrapped in its own ``DistributedDataParallel``; a forward
    whose backward must train a network goes through
    ``self.distributed(net)(x)`` so that its gradients are all-reduced.
    Frozen networks (a discriminator inside ``generator_loss``) are called
    directly.

    An aligner may ask G to run on batches of its own in the same step
    (ClassMix images, masked target images): :meth:`extra_batches` returns
    them before G's forward, they join G's one (DDP-visible) forward pass,
    and G's outputs on them reach ``generator_loss`` / ``update`` as
    ``target.extras[<batch name>]``. When the model has an EMA teacher, the
    target batch carries its pseudo labels (``target['pseudo_label']``,
    ``target['pseudo_confidence']``; in the outputs ``target.annotations``).

    Stages (``UDAStageHook``) switch ``active`` and set parameters through
    :meth:`set_stage_params`; aligners keep no iteration counters, so a
    resumed run gets the same state from the hook.

    Args:
        active (bool): Whether the term takes part in training from the
            start. Default: True.
        init_cfg (dict, optional): Initialisation config.
    """

    #: Child modules that own an optimizer (see class docstring).
    optim_modules: Tuple[str, ...] = ()
    #: Networks of ``optim_modules`` trained by G's loss in G's step.
    joint_modules: Tuple[str, ...] = ()
    #: Whether the term reads G's outputs on the raw target batch. When no
    #: active aligner does (e.g. DACS alone trains on mixed images only),
    #: G skips that forward pass.
    uses_target_outputs: bool = True
    #: Whether the term needs the EMA teacher's target pseudo labels
    #: (``UDASegmentor(teacher=...)``).
    needs_teacher: bool = False

    def __init__(self, active: bool = True, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        unknown = set(self.joint_modules) - set(self.optim_modules)
        if unknown:
            raise ValueError(
                f'{type(self).__name__}: joint_modules {sorted(unknown)} '
                f'are not in optim_modules {self.optim_modules}')
        self.active = active
        # id(network) -> its DDP wrapper; a plain dict, so the wrappers
        # stay out of the module tree and the state dict.
        self._distributed: Dict[int, nn.Module] = {}

    def networks(self) -> Dict[str, nn.Module]:
        """The aligner's own trainable networks, keyed by child name."""
        return {name: getattr(self, name) for name in self.optim_modules}

    def callable_networks(self) -> Dict[str, nn.Module]:
        """Networks that are called through ``forward``, keyed by path.

        A ``ModuleDict`` / ``ModuleList`` child of ``optim_modules`` (e.g.
        one discriminator per level) contributes its items
        (``'discriminators.main'``); other children themselves. These are
        the units wrapped for distributed training.
        """
        nets = {}
        for name, net in self.networks().items():
            if isinstance(net, nn.ModuleDict):
                nets.update({f'{name}.{k}': m for k, m in net.items()})
            elif isinstance(net, nn.ModuleList):
                nets.update({f'{name}.{i}': m for i, m in enumerate(net)})
            else:
                nets[name] = net
        return nets

    def set_distributed(self, wrapped: Mapping[str, nn.Module]) -> None:
        """Register DDP wrappers keyed like :meth:`callable_networks`."""
        nets = self.callable_networks()
        unknown = set(wrapped) - set(nets)
        if unknown:
            raise KeyError(f'{type(self).__name__}: no networks '
                           f'{sorted(unknown)} (has {sorted(nets)})')
        self._distributed = {
            id(nets[key]): wrapper
            for key, wrapper in wrapped.items()
        }

    def distributed(self, module: nn.Module) -> nn.Module:
        """``module``'s DDP wrapper in distributed training, else itself."""
        return self._distributed.get(id(module), module)

    def bind_segmentor(self, segmentor: nn.Module) -> None:
        """Called once by ``UDASegmentor`` with G after building the term.

        For aligners that use a part of G outside G's forward pass (e.g.
        SIM's classifier check on pooled features). Keep a reference out of
        the module tree (``object.__setattr__``) so G's parameters are not
        duplicated in the state dict. Default: nothing.
        """

    def reset_state(self) -> None:
        """Forget what the term accumulated from G's earlier weights.

        Called by ``PseudoLabelHook`` right after it re-initialises G for
        a new self-training step (``reinit``), e.g. SIM empties its
        feature banks, which hold step-1 features. Weights and optimizer
        states of the aligner's own networks are not touched here (the
        hook restores them with ``reinit='all'``). Default: nothing.
        """

    def set_stage_params(self, **params) -> None:
        """Apply per-stage parameter values, e.g. ``theta=0.6``.

        Only existing public attributes can be set, so a typo in a stage
        config fails loudly instead of being ignored.
        """
        for key, value in params.items():
            if key.startswith('_') or not hasattr(self, key):
                raise AttributeError(
                    f'{type(self).__name__} has no stage parameter '
                    f'{key!r}')
            setattr(self, key, value)

    def extra_batches(self, source: dict, target: dict) -> Dict[str, dict]:
        """Batches G should also run on in this step, keyed by name.

        Called in G's step before G's forward pass, without gradients, with
        the preprocessed batches: ``source`` has ``inputs`` (N, 3, H, W)
        and ``data_samples``; ``target`` also the teacher's
        ``pseudo_label`` / ``pseudo_confidence`` (N, H, W) when the model
        has a teacher. Each returned batch is a dict with ``inputs`` and
        ``data_samples``; any other tensors in it (labels, weights) reach
        ``generator_loss`` as ``target.extras[name].annotations``.
        Default: none.
        """
        return {}

    def generator_loss(self, source: DomainOutputs,
                       target: DomainOutputs) -> Dict[str, Tensor]:
        """Losses for G (names start with ``loss``), back-propagated into G.

        Args:
            source (DomainOutputs): G's outputs on the source batch.
            target (DomainOutputs): G's outputs on the target batch.

        Returns:
            dict[str, Tensor]: Loss terms (already weighted) and log values.
        """
        return {}

    def update(self, source: DomainOutputs, target: DomainOutputs,
               optim_wrapper: OptimWrapperDict,
               name: str) -> Dict[str, Tensor]:
        """Train the aligner's own networks on detached predictions.

        Args:
            source (DomainOutputs): Detached source outputs.
            target (DomainOutputs): Detached target outputs.
            optim_wrapper (OptimWrapperDict): All optimizer wrappers; use
                ``optim_wrapper[f'{name}.{child}']``.
            name (str): This aligner's key in ``UDASegmentor.aligners``.

        Returns:
            dict[str, Tensor]: Values to log (not back-propagated).
        """
        return {}

    def debug_maps(self, source: DomainOutputs,
                   target: DomainOutputs) -> List[DebugMap]:
        """Pictures of what the term does in a step, for the debug panels.

        Called by ``UDASegmentor.debug_maps`` in eval mode without
        gradients, with the outputs of one step on a fixed batch (extra
        batches included), e.g. a discriminator's confidence map or the
        mixed image. Must not change any state (no updates, no caches).
        Default: none.
        """
        return []
