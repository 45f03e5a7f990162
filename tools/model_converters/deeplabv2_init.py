"""Convert the classic DeepLab-v2 init checkpoint for ``DLV2ResNet``.

The AdaptSegNet / ADVENT / BDL / SIM code bases start from
``DeepLab_resnet_pretrained_init-f81d91e8.pth`` (ImageNet + COCO) or
``DeepLab_resnet_pretrained_imagenet.pth`` (ImageNet): plain state dicts
whose keys look like ``Scale.conv1.weight``, ``Scale.layer1.0.bn1.*`` and
``Scale.layer5.conv2d_list.*`` (a COCO classifier). This tool strips the
leading ``Scale.``, drops ``layer5.*``, checks every remaining key and shape
against ``DLV2ResNet`` and writes ``{'state_dict': ...}`` for::

    backbone=dict(type='DLV2ResNet', depth=101,
                  init_cfg=dict(type='Pretrained', checkpoint='OUT.pth'))

Usage::

    python tools/model_converters/deeplabv2_init.py IN.pth OUT.pth
"""
import argparse
import os
import os.path as osp
import pickle
import tempfile
from collections import OrderedDict
from typing import Dict, Mapping, Optional, Sequence

import torch
from mmengine.utils import ProgressBar

PREFIX = 'Scale.'
DROPPED = 'layer5.'


def reference_shapes(depth: int = 101,
                     base_channels: int = 64) -> Dict[str, torch.Size]:
    """Key -> shape of ``DLV2ResNet(depth, base_channels)``'s state dict."""
    import mmseg_uda  # noqa: F401  (registers DLV2ResNet)
    from mmseg_uda.models.backbones import DLV2ResNet
    model = DLV2ResNet(depth=depth,
                       stem_channels=base_channels,
                       base_channels=base_channels)
    return {k: v.shape for k, v in model.state_dict().items()}


def convert(state_dict: Mapping[str, torch.Tensor],
            reference: Mapping[str, torch.Size],
            source: str = 'input checkpoint',
            progress: bool = False) -> 'OrderedDict[str, torch.Tensor]':
    """Rename DeepLab-v2 keys and validate them against ``reference``.

    Args:
        state_dict (Mapping[str, Tensor]): DeepLab-v2 state dict.
        reference (Mapping[str, torch.Size]): Expected key -> shape.
        source (str): Name used in error messages.
        progress (bool): Show a progress bar.

    Returns:
        OrderedDict[str, Tensor]: Keys of ``reference`` -> tensors. BN
        ``num_batches_tracked`` counters missing from old (PyTorch < 0.4)
        checkpoints are added as 0, which is what ``nn.BatchNorm2d`` does
        when it loads such a checkpoint.

    Raises:
        ValueError: Missing / unexpected keys, shape mismatches or non-tensor
            values, all listed.
    """
    converted: 'OrderedDict[str, torch.Tensor]' = OrderedDict()
    not_tensors = []
    bar = ProgressBar(len(state_dict)) if progress else None
    for key, value in state_dict.items():
        if bar is not None:
            bar.update()
        new_key = key[len(PREFIX):] if key.startswith(PREFIX) else key
        if new_key.startswith(DROPPED):
            continue  # the checkpoint's COCO/VOC classifier
        if not isinstance(value, torch.Tensor):
            not_tensors.append(key)
            continue
        converted[new_key] = value
    for key in reference:
        if key.endswith('num_batches_tracked') and key not in converted:
            converted[key] = torch.tensor(0, dtype=torch.long)

    missing = [k for k in reference if k not in converted]
    unexpected = [k for k in converted if k not in reference]
    wrong_shape = [
        f'{k}: got {tuple(converted[k].shape)}, '
        f'expected {tuple(reference[k])}' for k in reference
        if k in converted and converted[k].shape != reference[k]
    ]
    problems = []
    if not_tensors:
        problems.append(f'values that are not tensors: {not_tensors}')
    if missing:
        problems.append(f'missing keys ({len(missing)}): {missing}')
    if unexpected:
        problems.append(f'unexpected keys ({len(unexpected)}): {unexpected}')
    if wrong_shape:
        problems.append(f'shape mismatches: {wrong_shape}')
    if problems:
        raise ValueError(
            f'{source} is not a DeepLab-v2 ResNet init checkpoint matching '
            'DLV2ResNet (expected keys like "Scale.conv1.weight", '
            '"Scale.layer1.0.conv1.weight"; "Scale.layer5.*" is dropped): ' +
            '; '.join(problems))
    return OrderedDict((k, converted[k]) for k in reference)


def load_state_dict(path: str,
                    trust: bool = False) -> Mapping[str, torch.Tensor]:
    """Read a plain state dict (or a ``{'state_dict': ...}`` wrapper)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'input checkpoint {path} does not exist')
    try:
        obj = torch.load(path, map_location='cpu', weights_only=not trust)
    except pickle.UnpicklingError as e:
        raise ValueError(
            f'{path} could not be read as a weights-only checkpoint ({e}); '
            'if you trust this file, rerun with --trust-checkpoint') from e
    except Exception as e:
        raise ValueError(f'{path} is not a readable PyTorch checkpoint: '
                         f'{type(e).__name__}: {e}') from e
    if isinstance(obj, Mapping) and isinstance(obj.get('state_dict'), Mapping):
        obj = obj['state_dict']
    if not isinstance(obj, Mapping):
        raise ValueError(f'{path} holds a {type(obj).__name__}, expected a '
                         'state dict (mapping of parameter names to tensors)')
    return obj


def save_atomic(state_dict: Mapping[str, torch.Tensor],
                out: str,
                meta: Optional[dict] = None) -> None:
    """Save ``{'state_dict': ..., 'meta': ...}`` via a temp file + rename."""
    out_dir = osp.dirname(osp.abspath(out))
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir,
                               prefix='.' + osp.basename(out) + '.',
                               suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            torch.save({'state_dict': state_dict, 'meta': meta or {}}, f)
        os.replace(tmp, out)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert a DeepLab-v2 init checkpoint (Scale.* keys) '
        'into a DLV2ResNet checkpoint.')
    parser.add_argument('src',
                        help='input .pth, e.g. '
                        'DeepLab_resnet_pretrained_init-f81d91e8.pth')
    parser.add_argument('dst', help='output .pth')
    parser.add_argument(
        '--depth',
        type=int,
        default=101,
        choices=(50, 101, 152),
        help='DLV2ResNet depth to validate against (default 101)')
    parser.add_argument(
        '--base-channels',
        type=int,
        default=64,
        help='stem/base channels to validate against (64 for every real '
        'checkpoint; smaller values only for tests)')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='load the input with full pickle (can run code: only for '
        'files you trust) when weights-only loading fails')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    state_dict = load_state_dict(args.src, trust=args.trust_checkpoint)
    reference = reference_shapes(args.depth, args.base_channels)
    converted = convert(state_dict, reference, source=args.src, progress=True)
    save_atomic(converted,
                args.dst,
                meta=dict(
                    converted_from=osp.basename(args.src),
                    converter='tools/model_converters/deeplabv2_init.py'))
    print(f'\nwrote {len(converted)} tensors to {args.dst}')


if __name__ == '__main__':
    main()
