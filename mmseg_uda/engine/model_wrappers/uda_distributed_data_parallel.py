"""Multi-GPU training of a UDASegmentor: one DDP per network."""
from typing import Any, Dict, Union

from mmengine.optim import OptimWrapper, OptimWrapperDict
# MMEngine's registry, not mmseg's child: Runner.wrap_model looks the type
# up with MODEL_WRAPPERS.get(), which searches a registry and its parents,
# never its children (mmseg's registry still finds it through its parent).
from mmengine.registry import MODEL_WRAPPERS
from torch import Tensor, nn
from torch.nn.parallel import DistributedDataParallel


@MODEL_WRAPPERS.register_module()
class UDADistributedDataParallel(nn.Module):
    """Wrap G and every aligner network of a UDA model in its own DDP.

    A UDA step runs several backward passes (G's, then each
    discriminator's), each on its own network. One DDP around the whole
    model cannot express that, and MMEngine's default wrapper calls
    ``train_step`` without going through DDP's ``forward``, so gradients
    would never be all-reduced. This wrapper asks the model for its
    networks (``module.distributed_networks()``: G's training forward and
    the aligners' callable networks), wraps each one that has trainable
    parameters in ``torch.nn.parallel.DistributedDataParallel`` and hands
    the wrappers back (``module.set_distributed_networks``); the model then
    calls a network through its DDP wrapper whenever that network is
    trained, so each backward all-reduces exactly the gradients it makes.

    The DDP wrappers are kept out of the module tree: the checkpoint is
    ``module``'s own state dict, identical to single-GPU training, and a
    run can resume on another number of GPUs. Parameters and buffers are
    broadcast from rank 0 when the wrappers are built.

    Config::

        model_wrapper_cfg = dict(type='UDADistributedDataParallel')

    Args:
        module (nn.Module): The UDA model (``UDASegmentor``).
        broadcast_buffers (bool): DDP's option, applied to every network.
            Default: False (as MMEngine's default wrapper).
        find_unused_parameters (bool): DDP's option. Default: False.
        **kwargs: Further ``DistributedDataParallel`` arguments.
    """

    def __init__(self,
                 module: nn.Module,
                 broadcast_buffers: bool = False,
                 find_unused_parameters: bool = False,
                 **kwargs: Any) -> None:
        super().__init__()
        for attr in ('distributed_networks', 'set_distributed_networks'):
            if not hasattr(module, attr):
                raise TypeError(
                    f'UDADistributedDataParallel wraps a UDA model with '
                    f'`{attr}` (UDASegmentor); got {type(module).__name__}.'
                    ' Use the default model wrapper for other models')
        kwargs.pop('device_ids', None)  # chosen per network below
        self.module = module
        wrapped: Dict[str, nn.Module] = {}
        for key, net in module.distributed_networks().items():
            params = [p for p in net.parameters() if p.requires_grad]
            if not params:
                continue
            device_ids = ([params[0].device.index or 0]
                          if params[0].is_cuda else None)
            wrapped[key] = DistributedDataParallel(
                net,
                device_ids=device_ids,
                broadcast_buffers=broadcast_buffers,
                find_unused_parameters=find_unused_parameters,
                **kwargs)
        module.set_distributed_networks(wrapped)
        # For inspection and tests; a plain dict, not submodules.
        self.__dict__['ddp_networks'] = wrapped

    def train_step(
        self, data: Union[dict, tuple, list],
        optim_wrapper: Union[OptimWrapper,
                             OptimWrapperDict]) -> Dict[str, Tensor]:
        """The model's own train_step (it calls the DDP wrappers)."""
        return self.module.train_step(data, optim_wrapper)

    def val_step(self, data: Union[dict, tuple, list]) -> list:
        return self.module.val_step(data)

    def test_step(self, data: Union[dict, tuple, list]) -> list:
        return self.module.test_step(data)

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)
