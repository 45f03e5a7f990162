"""Print the recipe cards of configs and check them against the configs.

Each full-size config states which paper row it reproduces and, for every
recipe value (learning rates, schedule and stop, sizes, batch, loss
weights, levels, init, evaluation, TTA), where the value comes from
(`mmseg_uda/utils/recipe_card.py`). This tool prints a config's card and
flags every value the resolved config no longer matches::

    python tools/recipe_card.py configs/globallocal/deeplabv2_gta2city.py
    python tools/recipe_card.py configs --check          # every config
    python tools/recipe_card.py configs --table out.md   # reproduction table
    python tools/recipe_card.py configs --table out.md --benchmark bench.json

Exit status 1 when a card is missing or a value does not match.
"""
import argparse
import glob
import json
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence

from mmengine.config import Config

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmseg_uda.utils.recipe_card import check_card, format_card  # noqa: E402

# Configs that reproduce no paper row: the synthetic benchmark and bases.
SKIPPED_DIRS = ('_base_', 'demo')


def full_size_configs(paths: Sequence[str]) -> List[str]:
    """Config files under ``paths`` (files or folders), demo and bases
    excluded, sorted."""
    found = []
    for path in paths:
        if osp.isdir(path):
            for f in glob.glob(osp.join(path, '**', '*.py'), recursive=True):
                parts = osp.relpath(f, path).split(osp.sep)
                if not set(parts[:-1]) & set(SKIPPED_DIRS):
                    found.append(f)
        elif osp.isfile(path):
            found.append(path)
        else:
            raise FileNotFoundError(f'no config file or folder {path}')
    return sorted(found)


def gpu_seconds_per_iter(benchmarks: Sequence[dict]) -> Dict[str, float]:
    """Median seconds per training iteration of the method, per config
    path (normalised), from ``tools/benchmark.py --out`` results measured
    on a GPU. A config timed for several stages keeps its slowest."""
    times: Dict[str, float] = {}
    for result in benchmarks:
        if result.get('device', 'cpu') == 'cpu':
            continue  # CPU timings do not project GPU hours
        median = (result.get('method') or {}).get('median_s')
        if not median:
            continue
        key = osp.normpath(result['config'])
        times[key] = max(times.get(key, 0.0), float(median))
    return times


def reproduction_table(files: Sequence[str],
                       benchmarks: Sequence[dict] = ()) -> str:
    """Markdown table: paper row, config, paper number, command, projected
    GPU-hours (max_iters x the benchmarked GPU iteration time; '-' where
    no GPU benchmark of the config is given)."""
    per_iter = gpu_seconds_per_iter(benchmarks)
    devices = sorted({b.get('device') for b in benchmarks
                      if b.get('device', 'cpu') != 'cpu'})
    lines = [
        '| paper | row | task | paper | config | command | GPU-hours |',
        '| --- | --- | --- | --- | --- | --- | --- |',
    ]
    for f in files:
        cfg = Config.fromfile(f)
        card = cfg.get('recipe_card') or {}
        number = card.get('paper_miou')
        shown = '-' if number is None else f'{number} {card.get("metric")}'
        hours = '-'
        if osp.normpath(f) in per_iter:
            iters = cfg.get('train_cfg', {}).get('max_iters') or 0
            hours = f'{iters * per_iter[osp.normpath(f)] / 3600:.1f}'
        # a card may name another entry point, e.g. tools/train_translation.py
        command = card.get('command',
                           'python tools/train.py {config}').format(config=f)
        lines.append(f'| {card.get("paper", "-")} | {card.get("row", "-")} | '
                     f'{card.get("task", "-")} | {shown} | `{f}` | '
                     f'`{command}` | {hours} |')
    note = ('\nGPU-hours: `train_cfg.max_iters` x the median training '
            'iteration of `tools/benchmark.py` on '
            f'{", ".join(devices)}, one GPU.\n' if devices else
            '\nGPU-hours: no GPU benchmark given (`--benchmark '
            'bench.json` from `tools/benchmark.py --out` on a GPU fills '
            'the column).\n')
    return '\n'.join(lines) + '\n' + note


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Print and check the recipe cards of configs')
    parser.add_argument('paths',
                        nargs='+',
                        help='config files or folders (demo and _base_ '
                        'folders are skipped)')
    parser.add_argument('--check',
                        action='store_true',
                        help='only report problems, one line per config')
    parser.add_argument('--table',
                        metavar='OUT',
                        help='write the reproduction table (markdown)')
    parser.add_argument('--benchmark',
                        nargs='+',
                        default=[],
                        metavar='JSON',
                        help='tools/benchmark.py --out results (GPU) for '
                        'the projected GPU-hours of the table')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    files = full_size_configs(args.paths)
    failed = 0
    for f in files:
        cfg = Config.fromfile(f)
        problems = check_card(cfg)
        failed += bool(problems)
        if args.check:
            status = 'ok' if not problems else '; '.join(problems)
            print(f'{f}: {status}')
        else:
            print(f'== {f}')
            print(format_card(cfg) if cfg.get('recipe_card') else
                  'no recipe_card')
            for p in problems:
                print(f'PROBLEM: {p}')
            print()
    if args.table:
        with open(args.table, 'w', encoding='utf-8') as out:
            benchmarks = []
            for path in args.benchmark:
                with open(path, encoding='utf-8') as f:
                    benchmarks += json.load(f)
            out.write(reproduction_table(files, benchmarks))
        print(f'reproduction table of {len(files)} configs -> {args.table}')
    print(f'{len(files) - failed} of {len(files)} configs: card and config '
          'agree')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
