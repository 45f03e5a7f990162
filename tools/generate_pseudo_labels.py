"""Write confidence-thresholded pseudo labels of a config's target train set.

The model is built from CONFIG and loaded from CHECKPOINT (a UDA checkpoint
or a plain MMSeg one of the same G); the images come from the config's
target train dataset (``train_dataloader.dataset.target`` of a UDADataset,
else ``train_dataloader.dataset``) through its own pipeline, without label
loading and random augmentations. See ``mmseg_uda/apis/pseudo_labels/``
for the thresholds, the output layout and the rerun behaviour.

Example::

    python tools/generate_pseudo_labels.py \\
        configs/selftraining/deeplabv2_adaptsegnet-ssl1_gta2city.py \\
        work_dirs/x/iter_80000.pth \\
        --out data/cityscapes/pseudo_labels --label-scale 1024 512
    # multi-GPU: every rank predicts a shard
    python -m torch.distributed.run --nproc_per_node 4 \\
        tools/generate_pseudo_labels.py CONFIG CKPT --out DIR \\
        --launcher pytorch

Then train with ``data_prefix.seg_map_path=DIR`` and
``seg_map_suffix='_pseudoTrainIds.png'`` on the target dataset.
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

import torch  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.dist import init_dist  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmengine.runner.checkpoint import load_state_dict  # noqa: E402

import mmseg_uda  # noqa: E402,F401  registers the plugin's components
from mmseg.registry import DATASETS  # noqa: E402
from mmseg_uda.apis import build_model_from_cfg  # noqa: E402
from mmseg_uda.apis.pseudo_labels import (DEFAULT_SUFFIX,  # noqa: E402
                                          PseudoLabelGenerator,
                                          inference_dataset_cfg)
from mmseg_uda.utils import allow_full_checkpoint_loading  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Generate pseudo labels for the target train set')
    parser.add_argument('config', help='config file of the model')
    parser.add_argument('checkpoint', help='checkpoint of the model')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--label-scale',
                        nargs=2,
                        type=int,
                        metavar=('W', 'H'),
                        help='size of the written labels (default: each '
                        "image's original size)")
    parser.add_argument('--cap', type=float, default=0.9,
                        help='upper bound of a class threshold')
    parser.add_argument('--num-bins', type=int, default=10000,
                        help='confidence histogram bins over [0, 1]')
    parser.add_argument('--suffix', default=DEFAULT_SUFFIX,
                        help='file name ending of a label')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument('--device',
                        default=None,
                        help='default: cuda if available, else cpu')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs')
    parser.add_argument('--launcher',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def target_dataset_cfg(cfg: Config) -> dict:
    """The config's target train dataset (UDADataset.target or the train
    dataset itself)."""
    loader = cfg.get('train_dataloader')
    if not loader or 'dataset' not in loader:
        raise KeyError(f'{cfg.filename}: no train_dataloader.dataset')
    dataset = loader['dataset']
    if dataset.get('type') == 'UDADataset':
        dataset = dataset['target']
    return inference_dataset_cfg(dataset)


def main(argv=None) -> dict:
    allow_full_checkpoint_loading()
    args = parse_args(argv)
    for path, what in ((args.config, 'config'),
                       (args.checkpoint, 'checkpoint')):
        if not osp.isfile(path):
            raise FileNotFoundError(f'{what} file not found: {path}')
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmseg'))

    if args.launcher != 'none':
        backend = 'nccl' if torch.cuda.is_available() else 'gloo'
        init_dist(args.launcher, backend=backend)
    device = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')

    # with the top-level data_preprocessor, as the Runner trained it
    model = build_model_from_cfg(cfg)
    # a UDA checkpoint holds 'segmentor.*' keys; a plain MMSeg one fits G
    try:
        state = torch.load(args.checkpoint, map_location='cpu')
    except Exception as err:
        raise RuntimeError(
            f'cannot load checkpoint {args.checkpoint!r}: {err}') from err
    state = state.get('state_dict', state) if isinstance(state, dict) else {}
    state = {
        (k[len('module.'):] if k.startswith('module.') else k): v
        for k, v in state.items()
    }
    target = model
    if hasattr(model, 'segmentor') and not any(
            k.startswith('segmentor.') for k in state):
        target = model.segmentor
    # strict: a checkpoint of another network must not load silently
    load_state_dict(target, state, strict=True)
    model.to(device)

    dataset = DATASETS.build(target_dataset_cfg(cfg))
    generator = PseudoLabelGenerator(
        args.out,
        label_scale=args.label_scale,
        cap=args.cap,
        num_bins=args.num_bins,
        suffix=args.suffix,
        batch_size=args.batch_size)
    return generator.run(model,
                         dataset,
                         model_info=dict(
                             source='tools/generate_pseudo_labels.py',
                             config=osp.abspath(args.config),
                             checkpoint=osp.abspath(args.checkpoint)))


if __name__ == '__main__':
    main()
