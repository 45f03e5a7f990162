"""Interface of an adaptation term ("aligner"), SPEC section 2."""
from typing import Dict, Tuple

from mmengine.model import BaseModule
from mmengine.optim import OptimWrapperDict
from torch import Tensor, nn

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

    def __init__(self, active: bool = True, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.active = active

    def networks(self) -> Dict[str, nn.Module]:
        """The aligner's own trainable networks, keyed by child name."""
        return {name: getattr(self, name) for name in self.optim_modules}

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
