"""MMEngine's CheckpointHook with atomic checkpoint files (issue 8)."""
import contextlib
import os
import os.path as osp
import uuid

from mmengine.hooks import CheckpointHook

from mmseg.registry import HOOKS


@contextlib.contextmanager
def _atomic_saves(runner):
    """Make ``runner.save_checkpoint`` write a temporary file, then rename.

    A crash or a kill during ``torch.save`` then leaves the previous
    checkpoint of that name (or none), never a truncated file that
    ``--resume`` would pick up. Only the hook's own saves are affected: the
    instance attribute shadows the method while the hook saves.
    """
    save = runner.save_checkpoint

    def atomic_save(out_dir, filename, *args, **kwargs):
        if '://' in str(out_dir):  # remote backends: no local rename
            return save(out_dir, filename, *args, **kwargs)
        tmp = f'.{filename}.{uuid.uuid4().hex}.tmp'
        tmp_path = osp.join(out_dir, tmp)
        try:
            save(out_dir, tmp, *args, **kwargs)
            # save_checkpoint writes on the main process only
            if osp.exists(tmp_path):
                os.replace(tmp_path, osp.join(out_dir, filename))
        finally:
            if osp.exists(tmp_path):
                os.remove(tmp_path)

    runner.save_checkpoint = atomic_save
    try:
        yield
    finally:
        del runner.save_checkpoint


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """``CheckpointHook`` whose checkpoints appear atomically.

    Same arguments and behaviour as MMEngine's hook (interval, max_keep,
    best checkpoints, ``last_checkpoint`` file), but every checkpoint is
    written to a temporary file in the same folder and renamed into place
    (``os.replace``), so an interrupted save never leaves a partial
    ``iter_N.pth``.
    """

    def _save_checkpoint_with_step(self, runner, step, meta):
        with _atomic_saves(runner):
            super()._save_checkpoint_with_step(runner, step, meta)

    def _save_best_checkpoint(self, runner, metrics) -> None:
        with _atomic_saves(runner):
            super()._save_best_checkpoint(runner, metrics)
