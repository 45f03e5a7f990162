"""Which checkpoint of a run to use: four selection rules side by side.

Reads every validation of a work_dir (``*/vis_data/scalars.json``, all
timestamped folders, so a resumed run counts; a later folder wins for the
same step) and prints, as a Markdown table::

    python tools/analysis/model_selection.py work_dirs/sel_asn_s0 --k 3

* **last**: the last evaluation (what a run without selection gives);
* **mean of the last k**: the mean (and spread) of the last ``k``
  evaluations, a report of where the run ends rather than a checkpoint;
* **best on target val (oracle)**: the evaluation with the highest metric.
  It reads the target labels, which UDA assumes unavailable: an upper
  bound of selection, as ADVENT reports it, never a fair result;
* **lowest prediction entropy (label-free)**: the evaluation whose target
  predictions are most confident (``pred_entropy``, SubsetIoUMetric);

with the Pearson and Spearman correlation of entropy and metric over the
run's evaluations (negative: lower entropy goes with higher mIoU), and for
each chosen step the checkpoint file in the work_dir, if it was kept.
"""
import argparse
import glob
import json
import os.path as osp
import statistics
import sys
from typing import Dict, List, Optional, Sequence

import numpy as np

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from mmseg_uda.datasets.file_io import atomic_write_json  # noqa: E402
from mmseg_uda.evaluation.metrics.prediction_entropy import \
    ENTROPY_KEY  # noqa: E402


def validation_history(work_dir: str, metric: str,
                       criterion: str = ENTROPY_KEY) -> List[dict]:
    """Every validation of a run, ``[{step, metric, criterion}]`` by step.

    ``criterion`` is None in an entry that did not log it.
    """
    files = sorted(
        glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not files:
        raise FileNotFoundError(
            f'{work_dir}: no */vis_data/scalars.json (is it an MMEngine '
            'work_dir of a run that validated?)')
    by_step: Dict[int, dict] = {}
    for path in files:
        with open(path) as f:
            for line_no, line in enumerate(f, 1):
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError as err:
                    raise ValueError(f'{path}:{line_no}: not a JSON line '
                                     f'({err})') from err
                if metric not in entry:
                    continue
                step = int(entry.get('step', 0))
                by_step[step] = dict(step=step,
                                     metric=float(entry[metric]),
                                     criterion=entry.get(criterion))
    if not by_step:
        raise KeyError(f'{work_dir}: no validation entry holds {metric!r} '
                       f'in {files}')
    return [by_step[s] for s in sorted(by_step)]


def _ranks(values: Sequence[float]) -> np.ndarray:
    """Ranks 1..n, ties sharing their mean rank."""
    values = np.asarray(values, dtype=np.float64)
    order = np.argsort(values, kind='stable')
    ranks = np.empty(len(values))
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[order[j + 1]] == values[
                order[i]]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def correlations(x: Sequence[float],
                 y: Sequence[float]) -> Dict[str, Optional[float]]:
    """Pearson r and Spearman rho; None with < 3 points or no spread."""
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return dict(pearson=None, spearman=None)
    pearson = float(np.corrcoef(x, y)[0, 1])
    spearman = float(np.corrcoef(_ranks(x), _ranks(y))[0, 1])
    return dict(pearson=pearson, spearman=spearman)


def _checkpoint(work_dir: str, step: int) -> str:
    names = [f'iter_{step}.pth'] + sorted(
        osp.basename(p)
        for p in glob.glob(osp.join(work_dir, f'best_*_iter_{step}.pth')))
    for name in names:
        if osp.isfile(osp.join(work_dir, name)):
            return name
    return '(not kept)'


def select(history: List[dict], k: int, work_dir: str = '') -> dict:
    """The four rules' choices and the entropy-metric correlation."""
    if k < 1:
        raise ValueError(f'k must be >= 1, got {k}')
    last = history[-1]
    tail = history[-k:]
    oracle = max(history, key=lambda e: (e['metric'], e['step']))
    rows = [
        dict(rule='last', step=last['step'], metric=last['metric'],
             checkpoint=_checkpoint(work_dir, last['step'])),
        dict(rule=f'mean of the last {len(tail)}',
             step=f'{tail[0]["step"]}-{tail[-1]["step"]}',
             metric=statistics.mean(e['metric'] for e in tail),
             spread=(statistics.stdev(e['metric'] for e in tail)
                     if len(tail) > 1 else 0.0),
             checkpoint='-'),
        dict(rule='best on target val (oracle: reads target labels)',
             step=oracle['step'], metric=oracle['metric'],
             checkpoint=_checkpoint(work_dir, oracle['step'])),
    ]
    with_entropy = [e for e in history if e['criterion'] is not None]
    corr = dict(pearson=None, spearman=None, n=len(with_entropy))
    if with_entropy:
        chosen = min(with_entropy, key=lambda e: (e['criterion'], -e['step']))
        rows.append(
            dict(rule='lowest prediction entropy (label-free)',
                 step=chosen['step'], metric=chosen['metric'],
                 entropy=chosen['criterion'],
                 checkpoint=_checkpoint(work_dir, chosen['step'])))
        corr.update(
            correlations([e['criterion'] for e in with_entropy],
                         [e['metric'] for e in with_entropy]))
    return dict(rows=rows, correlation=corr, evaluations=len(history))


def markdown(result: dict, metric: str) -> str:
    lines = [
        f'| rule | iteration | {metric} | checkpoint |',
        '|---|---|---|---|',
    ]
    for row in result['rows']:
        value = f'{row["metric"]:.2f}'
        if 'spread' in row:
            value += f' +- {row["spread"]:.2f}'
        if 'entropy' in row:
            value += f' (entropy {row["entropy"]:.4f})'
        lines.append(f'| {row["rule"]} | {row["step"]} | {value} | '
                     f'{row["checkpoint"]} |')
    corr = result['correlation']
    if corr['pearson'] is None:
        lines.append(f'\nentropy vs {metric}: not enough evaluations with '
                     f'{ENTROPY_KEY} ({corr["n"]}; needs 3 with spread)')
    else:
        lines.append(
            f'\nentropy vs {metric} over {corr["n"]} evaluations: Pearson '
            f'r = {corr["pearson"]:.2f}, Spearman rho = '
            f'{corr["spearman"]:.2f} (negative: lower entropy, higher '
            f'{metric})')
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description='Model selection rules of one run, side by side')
    parser.add_argument('work_dir')
    parser.add_argument('--metric', default='mIoU')
    parser.add_argument('--k', type=int, default=3,
                        help='evaluations in the mean of the last k')
    parser.add_argument('--out', help='also write the result as JSON')
    args = parser.parse_args(argv)
    history = validation_history(args.work_dir, args.metric)
    result = select(history, args.k, args.work_dir)
    result['history'] = history
    print(markdown(result, args.metric))
    if args.out:
        atomic_write_json(args.out, result)
    return 0


if __name__ == '__main__':
    sys.exit(main())
