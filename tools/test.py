"""Test (and evaluate) a segmentor checkpoint with an MMEngine Runner.

Example::

    python tools/test.py CONFIG CHECKPOINT
    python tools/test.py CONFIG CHECKPOINT --out preds/ --show-dir vis/
    python tools/test.py CONFIG CKPT_A --ensemble CKPT_B \
        [--ensemble-configs CONFIG_B] [--ensemble-weights 0.5 0.5]
    python tools/test.py ENSEMBLE_CONFIG none

Works for plain MMSeg checkpoints and for mmseg_uda ones (``UDASegmentor``
delegates testing to its wrapped segmentor). ``--ensemble`` evaluates the
weighted softmax average of separately trained models (``SoftmaxEnsemble``,
e.g. ADVENT's "AdvEnt+MinEnt" row).
"""
import argparse
import copy
import os
import os.path as osp
import sys

# The plugin lives one folder up; make a source checkout work without
# `pip install -e .` as well.
sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

import mmseg_uda  # noqa: E402,F401  registers the plugin's components
from mmseg_uda.models.segmentors.softmax_ensemble import \
    check_ensemble_weights  # noqa: E402
from mmseg_uda.utils import allow_full_checkpoint_loading  # noqa: E402

ENSEMBLE = 'SoftmaxEnsemble'
#: CHECKPOINT value for a config whose SoftmaxEnsemble members name their
#: own checkpoints.
NO_CHECKPOINT = 'none'

EPILOG = """\
Checkpoint loading: torch >= 2.6 loads checkpoints weights-only, which
breaks loading MMEngine checkpoints. This tool therefore sets
TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 for its own process (unless already set),
so the checkpoint is fully unpickled: only test checkpoints you trust.

Ensembles (SoftmaxEnsemble: weighted mean of the members' softmax, argmax):
  CONFIG CHECKPOINT --ensemble CKPT_2 [CKPT_3 ...]
      CHECKPOINT is member 0, the --ensemble checkpoints members 1... Every
      member's network is CONFIG's (the `segmentor` of a UDASegmentor
      config, else `model`) unless --ensemble-configs gives one config per
      --ensemble checkpoint. Plain MMSeg and mmseg_uda (UDASegmentor)
      checkpoints both work. The members share CONFIG's data preprocessor
      and dataset; --cfg-options apply to CONFIG only.
  ENSEMBLE_CONFIG none
      a config with model=dict(type='SoftmaxEnsemble', members=[...]) whose
      members name their checkpoints (paths relative to the working
      directory).
"""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Test (and evaluate) a segmentor (mmseg_uda)',
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint',
        help=f'checkpoint file ({NO_CHECKPOINT!r}: none, for a '
        f'{ENSEMBLE} config)')
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
    parser.add_argument(
        '--ensemble',
        nargs='+',
        metavar='CKPT',
        help='evaluate the softmax-average ensemble of CHECKPOINT and these '
        'checkpoints (separately trained models)')
    parser.add_argument(
        '--ensemble-configs',
        nargs='+',
        metavar='CFG',
        help='network config of each --ensemble checkpoint, in order '
        '(default: CONFIG\'s network for all)')
    parser.add_argument(
        '--ensemble-weights',
        nargs='+',
        type=float,
        metavar='W',
        help='one weight per member (CHECKPOINT first), >= 0, summing to 1 '
        '(default: equal)')
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


def member_network(cfg: Config) -> dict:
    """The segmentation network a config tests, as an ensemble member.

    The ``segmentor`` of a ``UDASegmentor`` config, else ``model``, with
    the data preprocessor the Runner would give it (the model's own, else
    the config's top-level one).
    """
    model = cfg.model
    if model.get('type') == ENSEMBLE:
        raise ValueError('--ensemble: the config is already a '
                         f'{ENSEMBLE}; test it with CHECKPOINT '
                         f'{NO_CHECKPOINT!r}')
    network = model.segmentor if model.get('type') == 'UDASegmentor' \
        else model
    network = copy.deepcopy(network.to_dict())
    preprocessor = model.get('data_preprocessor') or cfg.get(
        'data_preprocessor')
    if preprocessor is not None:
        network['data_preprocessor'] = copy.deepcopy(dict(preprocessor))
    return network


def ensemble_model(cfg: Config, args: argparse.Namespace) -> dict:
    """``model`` of the ensemble of ``args.checkpoint`` + ``--ensemble``."""
    checkpoints = [args.checkpoint] + list(args.ensemble)
    configs = args.ensemble_configs
    if configs is not None and len(configs) != len(args.ensemble):
        raise ValueError(
            f'--ensemble-configs: {len(configs)} configs for '
            f'{len(args.ensemble)} --ensemble checkpoints; give one per '
            'checkpoint (CHECKPOINT uses CONFIG)')
    for i, path in enumerate(checkpoints[1:], 1):
        if not osp.isfile(path):
            raise FileNotFoundError(f'ensemble member {i}: checkpoint file '
                                    f'not found: {path}')
    sources = [args.config] + list(configs or [args.config] *
                                   len(args.ensemble))
    networks = [member_network(cfg)]
    for i, path in enumerate(sources[1:], 1):
        if not osp.isfile(path):
            raise FileNotFoundError(f'ensemble member {i}: config file not '
                                    f'found: {path}')
        networks.append(networks[0] if path == args.config else
                        member_network(Config.fromfile(path)))
    weights = check_ensemble_weights(args.ensemble_weights, len(checkpoints))

    print(f'{ENSEMBLE} of {len(checkpoints)} models (weighted mean of the '
          'softmax):')
    for i, (path, source, w) in enumerate(zip(checkpoints, sources,
                                              weights)):
        print(f'  member {i}: weight {w:g}  checkpoint {path}  '
              f'network {source}')
    return dict(type=ENSEMBLE,
                members=[
                    dict(model=copy.deepcopy(net), checkpoint=path)
                    for net, path in zip(networks, checkpoints)
                ],
                weights=list(weights),
                data_preprocessor=networks[0].get('data_preprocessor'))


def build_cfg(args: argparse.Namespace) -> Config:
    """Load the config and apply the command-line overrides."""
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file not found: {args.config}')
    no_checkpoint = args.checkpoint.lower() == NO_CHECKPOINT
    if not no_checkpoint and not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint file not found: '
                                f'{args.checkpoint}')
    if args.ensemble is None and (args.ensemble_configs is not None
                                  or args.ensemble_weights is not None):
        raise ValueError('--ensemble-configs / --ensemble-weights need '
                         '--ensemble')
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
    if args.ensemble is not None:
        if no_checkpoint:
            raise ValueError('--ensemble: CHECKPOINT is the first member; '
                             f'{NO_CHECKPOINT!r} is not a checkpoint')
        cfg.model = ensemble_model(cfg, args)
        # The members load their checkpoints when the ensemble is built;
        # `load_from` would load CHECKPOINT into the ensemble as a whole.
        cfg.load_from = None
        # e.g. UDADistributedDataParallel: configured for the trained
        # model, not for the ensemble (MMEngine's default wraps it).
        cfg.pop('model_wrapper_cfg', None)
    elif no_checkpoint:
        if cfg.model.get('type') != ENSEMBLE:
            raise ValueError(
                f'CHECKPOINT {args.checkpoint!r} is only for a config whose '
                f'model is a {ENSEMBLE} (its members name their '
                f'checkpoints); {args.config} has a '
                f'{cfg.model.get("type")}')
        cfg.load_from = None
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
