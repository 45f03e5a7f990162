"""Export the plain MMSeg segmentor from an mmseg_uda checkpoint.

A ``UDASegmentor`` checkpoint stores the network G under ``segmentor.`` and
the adaptation networks (discriminators, ...) under other keys, next to the
optimizer, scheduler and message-hub state. This tool keeps only the
``segmentor.`` weights with the prefix stripped, so that the result loads
into a plain MMSeg config (``load_from=OUT.pth`` or ``tools/test.py``)::

    python tools/export_segmentor.py work_dirs/x/iter_120000.pth out.pth \
        --config work_dirs/x/config.py

With ``--config`` (the training config) it also writes that plain config
next to the weights (``out.py``; ``--out-config`` to choose): the network
G with its data preprocessor, test / val data, evaluator and TTA settings,
no init checkpoints (the weights come from ``out.pth``) and
``custom_imports = ['mmseg_uda']`` when a part of it is registered by this
plugin (our heads, backbones, metrics, transforms), so that
``mmseg.apis.init_model('out.py', 'out.pth')`` works with the two files.

Checkpoint loading: the input is fully unpickled (torch >= 2.6 would refuse
MMEngine checkpoints weights-only); only export checkpoints you trust.
"""
import argparse
import copy
import os
import os.path as osp
import sys
import tempfile
from collections import OrderedDict
from typing import Any, Dict, List

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
    parser.add_argument('--config',
                        help='the training config: also write the plain '
                        'MMSeg config of the exported network')
    parser.add_argument('--out-config',
                        help='where to write it (default: DST with .py)')
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


# Keys of a training config that a plain inference / test config keeps.
PLAIN_CONFIG_KEYS = ('default_scope', 'env_cfg', 'log_level', 'log_processor',
                     'vis_backends', 'visualizer', 'test_pipeline',
                     'test_dataloader', 'test_evaluator', 'test_cfg',
                     'val_dataloader', 'val_evaluator', 'val_cfg',
                     'img_ratios', 'tta_pipeline', 'tta_model')


def _types(node: Any) -> List[str]:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get('type'), str):
            found.append(node['type'])
        for value in node.values():
            found += _types(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            found += _types(value)
    return found


def plugin_types(cfg: dict) -> List[str]:
    """Types in ``cfg`` that this plugin registers (not plain MMSeg)."""
    import mmseg_uda  # noqa: F401  registers the plugin's components
    from mmseg import registry
    registries = [
        getattr(registry, name) for name in dir(registry)
        if name.isupper() and hasattr(getattr(registry, name), 'get')
    ]
    ours = set()
    for name in _types(cfg):
        for reg in registries:
            cls = reg.module_dict.get(name)
            if cls is not None and cls.__module__.startswith('mmseg_uda'):
                ours.add(name)
    return sorted(ours)


def _drop_init_cfg(node: Any) -> None:
    if isinstance(node, dict):
        if 'init_cfg' in node:
            node['init_cfg'] = None
        for value in node.values():
            _drop_init_cfg(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _drop_init_cfg(value)


def plain_config(cfg: Any, prefix: str = 'segmentor.') -> dict:
    """The plain MMSeg config of the network a training config trains.

    Args:
        cfg: The training config (``mmengine.Config``): a UDA model
            (``model.segmentor`` is the network) or a plain segmentor.
        prefix (str): The exported key prefix; ``'segmentor.'`` takes
            ``model.segmentor``.

    Returns:
        dict: Config dict with ``model`` and the test-time keys.
    """
    model = copy.deepcopy(cfg.model.to_dict() if hasattr(
        cfg.model, 'to_dict') else cfg.model)
    name = prefix.rstrip('.')
    if name:
        if name not in model:
            raise KeyError(f'the config\'s model has no {name!r} (keys: '
                           f'{sorted(model)}); is it a UDA config?')
        model = model[name]
    # the weights come from the exported checkpoint
    _drop_init_cfg(model)
    model.pop('pretrained', None)
    out = dict(model=model)
    for key in PLAIN_CONFIG_KEYS:
        if cfg.get(key) is not None:
            value = cfg[key]
            out[key] = copy.deepcopy(
                value.to_dict() if hasattr(value, 'to_dict') else value)
    out.setdefault('default_scope', 'mmseg')
    if plugin_types(out):
        out['custom_imports'] = dict(imports=['mmseg_uda'],
                                     allow_failed_imports=False)
    return out


def write_plain_config(cfg: Any, path: str, prefix: str = 'segmentor.',
                       source: str = '<config>') -> List[str]:
    """Write :func:`plain_config` as a Python config (atomically); returns
    the plugin types it needs."""
    from mmengine.config import Config
    plain = plain_config(cfg, prefix)
    text = (f'# Plain MMSeg config of the network exported from {source} '
            '(tools/export_segmentor.py).\n' +
            Config(plain).pretty_text)
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.' + osp.basename(path) + '.',
                               suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
    return plugin_types(plain)


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
    if args.config:
        from mmengine.config import Config
        cfg_path = args.out_config or osp.splitext(args.dst)[0] + '.py'
        ours = write_plain_config(Config.fromfile(args.config), cfg_path,
                                  args.prefix, args.config)
        print(f'wrote the plain MMSeg config to {cfg_path}' +
              (f' (custom_imports mmseg_uda for {", ".join(ours)})'
               if ours else ''))


if __name__ == '__main__':
    main()
