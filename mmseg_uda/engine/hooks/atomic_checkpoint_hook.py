"""MMEngine's CheckpointHook with atomic checkpoint files (issue 8)."""
import contextlib
import logging
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
    if 'save_checkpoint' in vars(runner):
        # already inside a save of this hook (MMEngine's best-checkpoint
        # save runs within the step save): the outer context restores
        yield
        return
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

    With ``save_best`` it also says, at the start of training, that the
    best checkpoint is chosen on the evaluation split, which in UDA is the
    target's labelled val set: an oracle choice (ADVENT reports it so), not
    a result a label-free run could have picked.
    """

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if self.save_best is not None:
            runner.logger.log(
                logging.WARNING,
                f'AtomicCheckpointHook: save_best={self.save_best!r} keeps '
                'the checkpoint that scores best on the validation split. '
                'For domain adaptation that split holds target labels, so '
                'the best checkpoint is an ORACLE choice (as ADVENT and '
                'AdaptSegNet report their numbers); the last checkpoint is '
                'the label-free result.')

    def _save_checkpoint_with_step(self, runner, step, meta):
        with _atomic_saves(runner):
            super()._save_checkpoint_with_step(runner, step, meta)

    def _save_best_checkpoint(self, runner, metrics) -> None:
        with _atomic_saves(runner):
            super()._save_best_checkpoint(runner, metrics)
