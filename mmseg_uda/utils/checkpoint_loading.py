"""Opt-in full (pickle) checkpoint loading for the command-line tools.

torch >= 2.6 loads checkpoints with ``weights_only=True`` by default. MMEngine
checkpoints hold more than tensors (message-hub history buffers, numpy scalars,
config objects), so ``--resume`` and ``load_from`` fail under that default.

The plugin never changes this on import. The entry points (``tools/*.py``) call
:func:`allow_full_checkpoint_loading`, which sets torch's documented switch
``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` for their own process. Loading a pickle
can run arbitrary code: only load checkpoints you trust.
"""
import os

ENV_FLAG = 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'


def allow_full_checkpoint_loading() -> None:
    """Let ``torch.load`` unpickle full MMEngine checkpoints in this process.

    Respects an explicit user setting of the variable (e.g. ``0``).
    """
    os.environ.setdefault(ENV_FLAG, '1')
