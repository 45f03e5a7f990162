"""Save and restore the global random-number-generator states."""
from mmengine.hooks import Hook

from mmseg.registry import HOOKS
from mmseg_uda.utils.rng_state import get_rng_states, set_rng_states

CHECKPOINT_KEY = 'rng_state'


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Put the python, numpy, torch (and CUDA) RNG states in checkpoints.

    MMEngine seeds the generators once at start-up but does not save their
    states, so after ``--resume`` every random draw in the model differs
    from an uninterrupted run (e.g. the mixture module's per-pixel alpha and
    crop of global-local alignment). This hook stores the states when a
    checkpoint is written and restores them when one is resumed, so a
    resumed run continues with the same random stream.

    Data: on resume MMEngine replays the already-trained batches before the
    first new one. With ``num_workers=0`` the replay runs the (random)
    augmentations in this process and would move the restored states, so
    the states are set again right before the first new batch is fetched
    (a thin wrapper around the loop's dataloader iterator, removed after
    that fetch). Workers (``num_workers >= 1``) have their own seeds.
    """
    priority = 'VERY_LOW'

    def __init__(self) -> None:
        self._resumed_state = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint[CHECKPOINT_KEY] = get_rng_states()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        # MMEngine calls this for `load_from` too; a new run that only
        # loads weights keeps its own seed. The Runner keeps the resume
        # flag in a private attribute (no public accessor in 0.10.x).
        state = checkpoint.get(CHECKPOINT_KEY)
        if state is None or not getattr(runner, '_resume', False):
            return
        set_rng_states(state)
        self._resumed_state = state

    def before_train_epoch(self, runner) -> None:
        # Runs right before IterBasedTrainLoop replays the trained batches.
        loop = runner.train_loop
        skip = getattr(loop, '_iter', 0)
        if self._resumed_state is None or skip == 0 or not hasattr(
                loop, 'dataloader_iterator'):
            return
        loop.dataloader_iterator = _RestoreBeforeFetch(
            loop, loop.dataloader_iterator, skip, self._resumed_state)
        self._resumed_state = None


class _RestoreBeforeFetch:
    """Pass ``skip`` batches through, then set ``state`` and put the loop's
    own iterator back before fetching the next one."""

    def __init__(self, loop, iterator, skip: int, state: dict) -> None:
        self.loop, self.iterator = loop, iterator
        self.skip, self.state = skip, state

    def __iter__(self):
        return self

    def __next__(self):
        if self.skip > 0:
            self.skip -= 1
            return next(self.iterator)
        set_rng_states(self.state)
        self.loop.dataloader_iterator = self.iterator
        return next(self.iterator)

    def __getattr__(self, name):
        return getattr(self.iterator, name)
