"""Time training and inference of configs: method, source-only, bare loop.

For every config, side by side in one run (``mmseg_uda.benchmark.speed``):
the method's Runner training iteration, the same network trained source
only, ``train_step`` in a bare loop (the lower bound: no Runner, no data
loading), inference and pseudo-label generation (images/s). Prints a
table and writes JSON::

    # CUDA, full size (the configs' own input sizes)
    python tools/benchmark.py configs/adaptsegnet/deeplabv2_gta2city.py \\
        configs/globallocal/deeplabv2_gta2city.py --stage local_mix \\
        --device cuda --iters 20 --warmup 5 --out work_dirs/bench.json
    # CPU, small
    python tools/benchmark.py configs/demo/adaptsegnet_synthetic.py \\
        --device cpu --size 160 90 --iters 5 --warmup 2

``--channels-last`` adds a ``ChannelsLastHook`` to every config (NHWC
weights; compare with a run without it). ``--stage`` applies to every
config that has a ``UDAStageHook`` with that stage (others are timed as
they are). Weights are the configs' own init;
``model-zoo`` init needs the weights at hand (``--no-pretrained`` drops
``Pretrained`` init_cfgs, which does not change the speed).
"""
import argparse
import os
import os.path as osp
import sys


def parse_args(argv=None) -> argparse.Namespace:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(
        description='Benchmark training / inference speed of configs')
    parser.add_argument('configs', nargs='+', help='config files')
    parser.add_argument('--modes',
                        nargs='+',
                        default=['method', 'source_only', 'bare',
                                 'inference', 'pseudo_labels'],
                        help='what to time')
    parser.add_argument('--iters', type=int, default=20,
                        help='timed iterations per mode')
    parser.add_argument('--warmup', type=int, default=5,
                        help='untimed iterations before them')
    parser.add_argument('--rounds', type=int, default=1,
                        help='run every mode this many times in alternating '
                        'order and pool the timed iterations (noisy '
                        'machines)')
    parser.add_argument('--device', default='cuda', choices=['cuda', 'cpu'])
    parser.add_argument('--size', type=int, nargs=2, metavar=('W', 'H'),
                        help='set every Resize scale to W x H')
    parser.add_argument('--stage', help='time this UDAStageHook stage')
    parser.add_argument('--amp', choices=['fp16', 'bf16'],
                        help='mixed precision for every optimizer (CUDA)')
    parser.add_argument('--channels-last', action='store_true',
                        help='networks in channels-last layout '
                        '(ChannelsLastHook)')
    parser.add_argument('--no-pretrained', action='store_true',
                        help='drop Pretrained init_cfgs (no weights needed)')
    parser.add_argument('--out', help='write the results as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='merged into every config')
    args = parser.parse_args(argv)
    if args.iters < 1 or args.warmup < 0 or args.rounds < 1:
        parser.error('--iters and --rounds must be >= 1 and --warmup >= 0')
    return args


def main(argv=None) -> list:
    args = argv if isinstance(argv, argparse.Namespace) else parse_args(argv)
    sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))
    import mmseg_uda  # noqa: F401  registers the plugin's components
    from mmseg_uda.benchmark.speed import (benchmark_config, format_table,
                                           has_stage)
    from mmseg_uda.datasets.file_io import atomic_write_json
    from mmseg_uda.utils import allow_full_checkpoint_loading
    allow_full_checkpoint_loading()

    results = []
    for config in args.configs:
        stage = args.stage if args.stage and has_stage(config,
                                                       args.stage) else None
        results.append(
            benchmark_config(config,
                             modes=args.modes,
                             iters=args.iters,
                             warmup=args.warmup,
                             device=args.device,
                             size=args.size,
                             stage=stage,
                             amp=args.amp,
                             drop_pretrained=args.no_pretrained,
                             cfg_options=args.cfg_options,
                             rounds=args.rounds,
                             channels_last=args.channels_last))
        print(format_table(results[-1:]), flush=True)
        if args.out:
            # after every config: a run stopped at its time limit keeps
            # what it measured
            atomic_write_json(args.out, results)
    print()
    print(format_table(results))
    if args.out:
        print(f'results written to {args.out}')
    return results


if __name__ == '__main__':
    cli_args = parse_args()
    if cli_args.device == 'cpu':
        # MMEngine's Runner moves the model to any visible GPU by itself;
        # hide them before torch initialises CUDA.
        os.environ['CUDA_VISIBLE_DEVICES'] = ''
    main(cli_args)
