"""The weights a run started from, kept to restart training from them.

BDL and SIM retrain their step 2 from the initial weights ("we
reinitialize and repeat the training"): the weights are saved when the run
starts at iteration 0 and restored at the round boundary, with every
optimizer state cleared, every schedule restarted and every aligner state
(memory banks, EMA teacher) reset. Parameters no optimizer updates (e.g.
LDR's frozen VGG-19) keep their initial values anyway and are left out of
the file (VGG-19 alone is ~550 MB).
"""
import io
import os.path as osp
from typing import List, Optional, Set

import torch
from mmengine.dist import barrier, get_rank
from mmengine.model import is_model_wrapper
from torch import nn

from ..datasets.file_io import atomic_write_bytes
from .optimizers.optimization_restart import (optim_wrappers,
                                              param_schedulers,
                                              reset_optimizer,
                                              restart_scheduler)

#: What is restored: G alone, or the whole UDA model (G and aligners).
SCOPES = ('segmentor', 'all')


def _unwrap(module: nn.Module) -> nn.Module:
    return module.module if is_model_wrapper(module) else module


class InitialWeights:
    """Save the initial weights once, restore them at a round boundary.

    Args:
        path (str): The snapshot file (in the work dir).
        scope (str): ``'segmentor'`` (G; its optimizer and schedule
            restart) or ``'all'`` (G and every aligner network; every
            optimizer and schedule restarts).
        owner (str): Named in errors and logs.
    """

    def __init__(self, path: str, scope: str, owner: str) -> None:
        if scope not in SCOPES:
            raise ValueError(f'{owner}: reinit must be one of {SCOPES}, '
                             f'got {scope!r}')
        self.path = path
        self.scope = scope
        self.owner = owner

    def network(self, runner) -> nn.Module:
        """The module whose weights are saved and restored."""
        model = _unwrap(runner.model)
        return model.segmentor if self.scope == 'segmentor' else model

    def optim_keys(self) -> Optional[List[str]]:
        """Optimizer keys to reset; None means every one."""
        return None if self.scope == 'all' else ['segmentor']

    @staticmethod
    def untrained_params(runner, net: nn.Module) -> Set[str]:
        """Names of the parameters of ``net`` that no optimizer updates."""
        trained = {
            id(p)
            for w in optim_wrappers(runner)
            for group in w.optimizer.param_groups for p in group['params']
        }
        return {n for n, p in net.named_parameters() if id(p) not in trained}

    def state(self, runner) -> dict:
        """The trained part of the network's state dict, on the CPU."""
        net = self.network(runner)
        untrained = self.untrained_params(runner, net)
        return {
            k: v.detach().cpu().clone()
            for k, v in net.state_dict().items() if k not in untrained
        }

    def save_or_check(self, runner) -> None:
        """At iteration 0 save the snapshot (rank 0, atomically); on a
        resumed run check that it exists."""
        if runner.iter == 0:
            if get_rank() == 0:
                buf = io.BytesIO()
                torch.save(dict(reinit=self.scope,
                                state_dict=self.state(runner)), buf)
                atomic_write_bytes(self.path, buf.getvalue())
            barrier()
        elif not osp.isfile(self.path):
            raise FileNotFoundError(
                f'{self.owner}: reinit={self.scope!r} needs the initial '
                f'weights {self.path}, saved when this run started at '
                'iteration 0; it is missing (start the run again from 0, or '
                'set reinit=None)')

    def restore(self, runner) -> None:
        """Load the snapshot into the network, reset aligner states and the
        EMA teacher, clear the optimizer states and restart the schedules
        of the scope."""
        snapshot = torch.load(self.path, map_location='cpu', weights_only=True)
        if snapshot.get('reinit') != self.scope:
            raise ValueError(
                f'{self.owner}: {self.path} holds a '
                f'{snapshot.get("reinit")!r} snapshot, the hook has '
                f'reinit={self.scope!r}; start the run again from 0')
        model = _unwrap(runner.model)
        net = self.network(runner)
        missing, unexpected = net.load_state_dict(snapshot['state_dict'],
                                                  strict=False)
        missing = set(missing) - self.untrained_params(runner, net)
        if missing or unexpected:
            raise KeyError(
                f'{self.owner}: {self.path} does not match the '
                f'model: missing {sorted(missing)}, unexpected '
                f'{sorted(unexpected)}; start the run again from 0')
        reset = []
        for name, aligner in (getattr(model, 'aligners', None) or
                              {}).items():
            if hasattr(aligner, 'reset_state'):
                aligner.reset_state()
                reset.append(name)
        if getattr(model, 'teacher', None) is not None:
            # an EMA teacher of the old G would label the new G's data
            model.reset_teacher()
            reset.append('teacher')
        keys = self.optim_keys()
        for wrapper in optim_wrappers(runner, keys):
            reset_optimizer(wrapper)
        for scheduler in param_schedulers(runner, keys):
            restart_scheduler(scheduler)
        # RuntimeInfoHook (VERY_HIGH) published this iteration's lr before
        # the (LOWEST) caller restarted the schedules: publish the restarted
        # one, so the log shows the lr the iteration trains with
        for name, lr in runner.optim_wrapper.get_lr().items():
            runner.message_hub.update_scalar(f'train/{name}', lr[0])
        runner.logger.info(
            f'{self.owner}: re-initialised {self.scope} from '
            f'{self.path} at iteration {runner.iter}; optimizer states '
            f'cleared and schedulers restarted for {keys or "all"}; aligner '
            f'states reset: {reset}')
