"""Final validation metric of several runs per method: per seed, mean, std.

Each run's value is read from MMEngine's ``vis_data/scalars.json`` (every
timestamped folder of the work_dir, so a resumed run counts; the entry
with the highest step that holds the metric wins). With ``--per-class``
the last "per class results" table of each run's log (SubsetIoUMetric /
IoUMetric) is averaged over the seeds as well. Prints a Markdown table::

    python tools/analysis/summarize_seeds.py --metric mIoU10 \\
        "AdaptSegNet=work_dirs/demo_adaptsegnet_s*" \\
        "ADVENT=work_dirs/demo_advent_s*" --per-class --out summary.json

The spread is the sample standard deviation (n - 1).
"""
import argparse
import glob
import json
import math
import itertools
import os.path as osp
import statistics
import sys
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from mmseg_uda.datasets.file_io import atomic_write_json  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Mean and spread of a final metric over seeds')
    parser.add_argument('groups',
                        nargs='+',
                        metavar='NAME=GLOB',
                        help='a method name and a glob of its work_dirs')
    parser.add_argument('--metric', default='mIoU')
    parser.add_argument('--per-class',
                        action='store_true',
                        help='also average the per-class IoU of the logs')
    parser.add_argument('--out', help='JSON file for the results')
    args = parser.parse_args(argv)
    for group in args.groups:
        if '=' not in group:
            parser.error(f'expected NAME=GLOB, got {group!r}')
    return args


def final_metric(work_dir: str, metric: str) -> Tuple[int, float]:
    """(step, value) of the last validation of ``metric`` in a work_dir."""
    files = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                      'scalars.json')))
    if not files:
        raise FileNotFoundError(
            f'{work_dir}: no */vis_data/scalars.json (is it an MMEngine '
            'work_dir of a run that validated?)')
    best: Optional[Tuple[int, float]] = None
    for path in files:
        with open(path) as f:
            for line in f:
                entry = json.loads(line)
                if metric in entry:
                    step = int(entry.get('step', 0))
                    if best is None or step >= best[0]:
                        best = (step, float(entry[metric]))
    if best is None:
        raise KeyError(f'{work_dir}: no validation entry holds {metric!r} '
                       f'in {files}')
    return best


def _cells(row: str) -> List[str]:
    return [c.strip() for c in row.strip().strip('|').split('|')]


def _read_table(lines: List[str]) -> Dict[str, float]:
    """Class -> IoU of the PrettyTable that starts at ``lines[0]``."""
    header, table = None, {}
    for line in itertools.takewhile(lambda ln: ln.startswith(('|', '+')),
                                    lines):
        if line.startswith('+'):
            continue
        cells = _cells(line)
        if header is None:
            header = cells
            if 'Class' not in header or 'IoU' not in header:
                return {}
            continue
        row = dict(zip(header, cells))
        table[row['Class']] = float(row['IoU'])
    return table


def final_per_class_iou(work_dir: str) -> Dict[str, float]:
    """Class -> IoU of the last "per class results" table in the logs."""
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.log')))
    table: Dict[str, float] = {}
    for path in logs:
        with open(path) as f:
            lines = f.read().splitlines()
        for i, line in enumerate(lines):
            if line.endswith('per class results:'):
                # the table follows the (empty) log line of its newline
                rest = itertools.dropwhile(lambda ln: not ln.startswith('+'),
                                           lines[i + 1:i + 4])
                table = _read_table(list(rest) + lines[i + 4:]) or table
    if not table:
        raise ValueError(f'{work_dir}: no "per class results" table in '
                         f'its logs {logs}')
    return table


def summarize(name: str, pattern: str, metric: str,
              per_class: bool) -> dict:
    dirs = sorted(d for d in glob.glob(pattern) if osp.isdir(d))
    if not dirs:
        raise FileNotFoundError(f'{name}: no work_dir matches {pattern!r}')
    runs = []
    for d in dirs:
        step, value = final_metric(d, metric)
        run = dict(work_dir=d, step=step, value=value)
        if per_class:
            run['per_class'] = final_per_class_iou(d)
        runs.append(run)
    values = [r['value'] for r in runs]
    out = dict(name=name,
               runs=runs,
               mean=statistics.mean(values),
               std=statistics.stdev(values) if len(values) > 1 else 0.0)
    if per_class:
        classes = list(runs[0]['per_class'])
        out['per_class_mean'] = {
            c: statistics.mean(r['per_class'][c] for r in runs)
            for c in classes
        }
    return out


def markdown(results: List[dict], metric: str) -> str:
    seeds = max(len(r['runs']) for r in results)
    head = ['method'] + [f'{metric} run {i}' for i in range(seeds)]
    lines = ['| ' + ' | '.join(head + ['mean +- std']) + ' |',
             '|' + ' --- |' * (len(head) + 1)]
    for r in results:
        cells = [f"{run['value']:.2f}" for run in r['runs']]
        cells += [''] * (seeds - len(cells))
        lines.append('| ' + ' | '.join([r['name']] + cells +
                                       [f"**{r['mean']:.2f} +- "
                                        f"{r['std']:.2f}**"]) + ' |')
    if 'per_class_mean' in results[0]:
        classes = list(results[0]['per_class_mean'])
        lines += ['', '| class | ' + ' | '.join(r['name'] for r in results)
                  + ' |', '|' + ' --- |' * (len(results) + 1)]
        for c in classes:
            means = [r['per_class_mean'].get(c, math.nan) for r in results]
            if all(math.isnan(m) for m in means):
                continue  # a class absent from the validation set
            lines.append(f'| {c} | ' + ' | '.join(f'{m:.1f}' for m in means)
                         + ' |')
    return '\n'.join(lines)


def main(argv=None) -> List[dict]:
    args = parse_args(argv)
    results = [
        summarize(*group.split('=', 1), args.metric, args.per_class)
        for group in args.groups
    ]
    for r in results:
        for run in r['runs']:
            print(f"{r['name']}: {run['work_dir']} step {run['step']} "
                  f"{args.metric} {run['value']:.2f}")
    print(markdown(results, args.metric))
    if args.out:
        atomic_write_json(args.out, results)
        print(f'wrote {args.out}')
    return results


if __name__ == '__main__':
    main()
