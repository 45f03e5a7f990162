"""Export the plain MMSeg segmentor from an mmseg_uda checkpoint.

A ``UDASegmentor`` checkpoint stores the network G under ``segmentor.`` and
the adaptation networks (discriminators, ...) under other keys, next to the
optimizer, scheduler and message-hub state. This tool keeps only the
``segmentor.`` weights with the prefix stripped, so that the result loads
into a plain MMSeg config (``load_from=OUT.pth`` or ``tools/test.py``)::

    python tools/export_segmentor.py work_dirs/x/iter_120000.pth out.pth

Checkpoint loading: the input is fully unpickled (torch >= 2.6 would refuse
MMEngine checkpoints weights-only); only export checkpoints you trust.
"""
import argparse
import os
import os.path as osp
import sys
import tempfile
from collections import OrderedDict
from typing import Any, Dict

import torch
from mmengine.utils import ProgressBar

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmseg_uda.utils import allow_full_checkpoint_loading  # noqa: E402

# Top-level entries that only matter for resuming training.
TRAINING_STATE_KEYS = ('optimizer', 'param_schedulers', 'message_hub')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Strip a key prefix from a checkpoint state_dict and drop '
        'the training state',
        epilog='The input checkpoint is fully unpickled: only use trusted '
        'files.')
    parser.add_argument('src', help='input checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint (.pth)')
    parser.add_argument(
        '--prefix',
        default='segmentor.',
        help='key prefix to keep and strip (default: segmentor.)')
    return parser.parse_args(argv)


def export_state_dict(checkpoint: Any,
                      prefix: str,
                      src: str = '<checkpoint>') -> Dict[str, Any]:
    """Build the exported checkpoint dict.

    Args:
        checkpoint: The loaded checkpoint (a dict with ``state_dict`` or a
            bare state dict).
        prefix (str): Keys starting with it are kept with it removed; all
            other keys are dropped.
        src (str): Name of the input file, for error messages.

    Returns:
        dict: ``{'state_dict': ..., 'meta': ...}`` without training state.
    """
    if not isinstance(checkpoint, dict):
        raise ValueError(f'{src}: expected a checkpoint dict, got '
                         f'{type(checkpoint).__name__}')
    state_dict = checkpoint.get('state_dict', checkpoint)
    if not isinstance(state_dict, dict) or not state_dict:
        raise ValueError(f'{src}: no non-empty state_dict found')
    if not prefix:
        raise ValueError('--prefix must not be empty')

    exported = OrderedDict()
    progress = ProgressBar(len(state_dict))
    for key, value in state_dict.items():
        if key.startswith(prefix):
            exported[key[len(prefix):]] = value
        progress.update()
    sys.stdout.write('\n')
    if not exported:
        some = ', '.join(list(state_dict)[:5])
        raise ValueError(f'{src}: no state_dict key starts with {prefix!r} '
                         f'(first keys: {some}); is it a UDASegmentor '
                         'checkpoint?')

    out: Dict[str, Any] = dict(state_dict=exported)
    meta = checkpoint.get('meta') if 'state_dict' in checkpoint else None
    if isinstance(meta, dict):
        # Keep provenance (versions, dataset meta) but not the loop state.
        out['meta'] = {
            k: v
            for k, v in meta.items() if k not in ('epoch', 'iter', 'seed')
        }
    return out


def save_atomic(obj: Any, dst: str) -> None:
    """``torch.save`` to a temporary file in ``dst``'s folder, then rename,
    so an interrupted export never leaves a truncated checkpoint."""
    folder = osp.dirname(osp.abspath(dst))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.' + osp.basename(dst) + '.',
                               suffix='.tmp',
                               dir=folder)
    try:
        with os.fdopen(fd, 'wb') as f:
            torch.save(obj, f)
        os.replace(tmp, dst)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def main(argv=None) -> None:
    allow_full_checkpoint_loading()
    args = parse_args(argv)
    if not osp.isfile(args.src):
        raise FileNotFoundError(f'input checkpoint not found: {args.src}')
    try:
        checkpoint = torch.load(args.src,
                                map_location='cpu',
                                weights_only=False)
    except Exception as e:
        raise ValueError(f'{args.src}: cannot be read as a torch '
                         f'checkpoint ({e})') from e
    out = export_state_dict(checkpoint, args.prefix, args.src)
    dropped = [k for k in TRAINING_STATE_KEYS if k in checkpoint]
    save_atomic(out, args.dst)
    print(f'wrote {len(out["state_dict"])} tensors to {args.dst} '
          f'(dropped: {", ".join(dropped) or "nothing"})')


if __name__ == '__main__':
    main()
