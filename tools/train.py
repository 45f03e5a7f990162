"""Train a segmentor (plain MMSeg or mmseg_uda) with an MMEngine Runner.

Example::

    python tools/train.py configs/globallocal/deeplabv2_gta2city.py
    python tools/train.py CONFIG --work-dir work_dirs/x --amp bf16
    python tools/train.py CONFIG --resume              # latest in work_dir
    python tools/train.py CONFIG --resume PATH.pth     # a given checkpoint
"""
import argparse
import logging
import os
import os.path as osp
import sys

# The plugin lives one folder up; make a source checkout work without
# `pip install -e .` as well.
sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.logging import print_log  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import mmseg_uda  # noqa: E402,F401  registers the plugin's components
from mmseg_uda.apis import enable_amp  # noqa: E402
from mmseg_uda.utils import allow_full_checkpoint_loading  # noqa: E402

EPILOG = """\
Checkpoint loading: torch >= 2.6 loads checkpoints weights-only, which
breaks MMEngine's --resume and load_from. This tool therefore sets
TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 for its own process (unless already set),
so checkpoints are fully unpickled: only resume from / load checkpoints you
trust.
"""


def parse_args(argv=None,
               description: str = 'Train a segmentor (mmseg_uda)'
               ) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=description,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        const='auto',
        default=None,
        metavar='CHECKPOINT',
        help='resume training; without a value from the latest checkpoint in '
        'the work_dir, with a value from that checkpoint file')
    parser.add_argument(
        '--amp',
        nargs='?',
        const='fp16',
        default=None,
        choices=['fp16', 'bf16'],
        help='automatic mixed precision (default fp16 when given without a '
        'value); converts every optimizer wrapper of the config')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs merged into '
        'it, e.g. train_cfg.max_iters=1000 or key="[a,b]" for lists (quotes '
        'needed, no white space)')
    parser.add_argument('--launcher',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none',
                        help='job launcher')
    # torch.distributed.run passes --local-rank (new) or --local_rank (old).
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def build_cfg(args: argparse.Namespace) -> Config:
    """Load the config and apply the command-line overrides."""
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file not found: {args.config}')
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)

    # work_dir priority: CLI > config > ./work_dirs/<config name>
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])

    if args.amp is not None:
        enable_amp(cfg, args.amp)
        print_log(f'AMP enabled ({args.amp}) for every optimizer wrapper.',
                  logger='current',
                  level=logging.INFO)

    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise FileNotFoundError(
                f'--resume: checkpoint file not found: {args.resume}')
        cfg.resume = True
        cfg.load_from = args.resume
    return cfg


def main(argv=None) -> None:
    allow_full_checkpoint_loading()
    args = parse_args(argv)
    cfg = build_cfg(args)

    if 'runner_type' in cfg:
        from mmseg.registry import RUNNERS
        runner = RUNNERS.build(cfg)
    else:
        runner = Runner.from_cfg(cfg)
    runner.train()


if __name__ == '__main__':
    main()
