"""Test (and evaluate) a segmentor checkpoint with an MMEngine Runner.

Example::

    python tools/test.py CONFIG CHECKPOINT
    python tools/test.py CONFIG CHECKPOINT --out preds/ --show-dir vis/

Works for plain MMSeg checkpoints and for mmseg_uda ones (``UDASegmentor``
delegates testing to its wrapped segmentor).
"""
import argparse
import os
import os.path as osp
import sys

# The plugin lives one folder up; make a source checkout work without
# `pip install -e .` as well.
sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import mmseg_uda  # noqa: E402,F401  registers the plugin's components
from mmseg_uda.utils import allow_full_checkpoint_loading  # noqa: E402

EPILOG = """\
Checkpoint loading: torch >= 2.6 loads checkpoints weights-only, which
breaks loading MMEngine checkpoints. This tool therefore sets
TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 for its own process (unless already set),
so the checkpoint is fully unpickled: only test checkpoints you trust.
"""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Test (and evaluate) a segmentor (mmseg_uda)',
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir',
        help='the dir where logs and the evaluation metrics (json) go')
    parser.add_argument(
        '--out',
        type=str,
        help='directory to save the predicted label maps (PNG) for offline '
        'evaluation or submission')
    parser.add_argument('--show',
                        action='store_true',
                        help='show prediction results')
    parser.add_argument(
        '--show-dir',
        help='directory where painted images (image + prediction + GT) '
        'are saved (under vis_data/vis_image/); one image every '
        'default_hooks.visualization.interval test iterations (MMSeg default '
        '50; add --cfg-options default_hooks.visualization.interval=1 for '
        'all)')
    parser.add_argument('--wait-time',
                        type=float,
                        default=2,
                        help='the interval of show (s)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value pairs merged into '
        'it, e.g. test_dataloader.batch_size=1 or key="[a,b]" for lists '
        '(quotes needed, no white space)')
    parser.add_argument('--launcher',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none',
                        help='job launcher')
    parser.add_argument(
        '--tta',
        action='store_true',
        help='test-time augmentation (needs tta_pipeline and tta_model in '
        'the config)')
    # torch.distributed.run passes --local-rank (new) or --local_rank (old).
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def trigger_visualization_hook(cfg: Config,
                               args: argparse.Namespace) -> Config:
    """Turn on drawing in the config's visualization hook."""
    hook = cfg.get('default_hooks', {}).get('visualization')
    if hook is None:
        raise ValueError(
            '--show/--show-dir need a visualization hook in the config: '
            "default_hooks.visualization=dict(type='SegVisualizationHook')")
    hook['draw'] = True
    if args.show:
        hook['show'] = True
        hook['wait_time'] = args.wait_time
    if args.show_dir:
        if cfg.get('visualizer') is None:
            raise ValueError('--show-dir needs a `visualizer` in the config '
                             "(e.g. dict(type='SegLocalVisualizer', ...))")
        cfg.visualizer['save_dir'] = args.show_dir
    return cfg


def _evaluators(cfg: Config) -> list:
    """The metric dicts of ``test_evaluator`` (a dict or a list of them)."""
    evaluator = cfg.get('test_evaluator')
    if evaluator is None:
        raise ValueError('--out needs a test_evaluator in the config')
    if isinstance(evaluator, dict) and 'type' not in evaluator:
        # An Evaluator dict holds its metric(s) under `metrics`.
        evaluator = evaluator.get('metrics', [])
    if isinstance(evaluator, dict):
        return [evaluator]
    return list(evaluator)


def build_cfg(args: argparse.Namespace) -> Config:
    """Load the config and apply the command-line overrides."""
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file not found: {args.config}')
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint file not found: '
                                f'{args.checkpoint}')
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

    cfg.load_from = args.checkpoint
    # Testing never resumes optimizer/scheduler state.
    cfg.resume = False

    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)

    if args.tta:
        for key in ('tta_pipeline', 'tta_model'):
            if cfg.get(key) is None:
                raise ValueError(f'--tta needs `{key}` in the config '
                                 f'{args.config}')
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model

    if args.out is not None:
        # IoUMetric (and SubsetIoUMetric) write PNGs to `output_dir`.
        for metric in _evaluators(cfg):
            metric['output_dir'] = args.out
            metric['keep_results'] = True
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
    runner.test()


if __name__ == '__main__':
    main()
