"""Train every network with its 4-D weights in channels-last layout."""
import torch
import torch.nn as nn
from mmengine.hooks import Hook

from mmseg.registry import HOOKS


def to_channels_last(model: nn.Module) -> nn.Module:
    """Store the 4-D parameters and buffers of ``model`` as NHWC, in place.

    The parameter objects stay the same (optimizers built before keep
    them). Convolutions then run in channels-last on cuDNN (and oneDNN on
    CPUs) as soon as the weight is channels-last, whatever the input
    layout, so the batch needs no conversion.
    """
    return model.to(memory_format=torch.channels_last)


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Convert the model (G, every discriminator, ...) to channels-last.

    Tensor cores read NHWC natively; an NCHW convolution under AMP pays
    for layout transposes around each kernel. Whether it helps depends on
    the network and device, so it is opt-in and measured with
    ``tools/benchmark.py --channels-last``::

        custom_hooks = [dict(type='ChannelsLastHook')]

    Runs in ``before_train``, after weight init, ``load_from`` and resume:
    random init fills a tensor in memory order, so converting earlier would
    give other initial weights for the same seed. Later loads (the
    re-initialisation of ``PseudoLabelHook``) copy into the converted
    tensors and keep the layout; optimizer states are created from the
    converted parameters, or resumed in the layout they were saved in.
    With DDP the model is wrapped before hooks run: DDP then copies the
    channels-last gradients into its flat buckets (correct; any speed cost
    shows in the benchmark).
    """

    # before the hooks that snapshot the initial weights in before_train
    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        to_channels_last(runner.model)
