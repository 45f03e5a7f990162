"""How good are pseudo labels? Compare them with the true target labels.

For a folder written by ``tools/generate_pseudo_labels.py`` or
``PseudoLabelHook`` (``<city>/<stem>_pseudoTrainIds.png``) and the
target's ground truth in the Cityscapes layout
(``<city>/<stem>_gtFine_labelTrainIds.png``), reports the share of
labelled pixels the pseudo labels keep (not 255) and, of those, the share
that is correct, overall and per class (class = the pseudo label)::

    python tools/analysis/pseudo_label_accuracy.py \\
        work_dirs/demo_selftraining_s0/pseudo_labels \\
        data/synthetic_shift/target/gtFine/train --out acc.json

Only useful where the target labels exist (the synthetic benchmark,
Cityscapes train for analysis); training never reads them. A pseudo label
of another size than the ground truth is resized (nearest) to it.
"""
import argparse
import glob
import os.path as osp
import sys
from typing import Dict, List, Optional

import cv2
import numpy as np
from prettytable import PrettyTable

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from mmseg_uda.datasets.file_io import atomic_write_json  # noqa: E402
from mmseg_uda.datasets.label_mapping import CITYSCAPES_CLASSES  # noqa: E402

IGNORE = 255


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Coverage and precision of pseudo labels')
    parser.add_argument('pseudo_dir')
    parser.add_argument('gt_dir')
    parser.add_argument('--pseudo-suffix', default='_pseudoTrainIds.png')
    parser.add_argument('--gt-suffix', default='_gtFine_labelTrainIds.png')
    parser.add_argument('--num-classes', type=int, default=19)
    parser.add_argument('--out', help='also write the numbers as JSON')
    return parser.parse_args(argv)


def _read(path: str) -> np.ndarray:
    label = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if label is None or label.ndim != 2:
        raise ValueError(f'{path}: expected a single-channel label PNG')
    return label


def compare(pseudo_dir: str, gt_dir: str, pseudo_suffix: str,
            gt_suffix: str, num_classes: int) -> dict:
    """Counts over every pseudo label that has a ground-truth file."""
    pseudo = sorted(
        glob.glob(osp.join(pseudo_dir, '**', f'*{pseudo_suffix}'),
                  recursive=True))
    if not pseudo:
        raise FileNotFoundError(
            f'no *{pseudo_suffix} files under {pseudo_dir}')
    kept = np.zeros(num_classes, np.int64)
    correct = np.zeros(num_classes, np.int64)
    labelled = 0
    for path in pseudo:
        rel = osp.relpath(path, pseudo_dir)[:-len(pseudo_suffix)]
        gt_path = osp.join(gt_dir, rel + gt_suffix)
        if not osp.isfile(gt_path):
            raise FileNotFoundError(
                f'{path}: no ground truth {gt_path} (check --gt-suffix)')
        gt = _read(gt_path)
        pl = _read(path)
        if pl.shape != gt.shape:
            pl = cv2.resize(pl, gt.shape[::-1],
                            interpolation=cv2.INTER_NEAREST)
        valid = gt != IGNORE
        labelled += int(valid.sum())
        mask = valid & (pl != IGNORE)
        if (pl[mask] >= num_classes).any():
            raise ValueError(f'{path}: a label >= {num_classes} that is '
                             f'not {IGNORE}')
        kept += np.bincount(pl[mask], minlength=num_classes)
        correct += np.bincount(pl[mask & (pl == gt)],
                               minlength=num_classes)
    total_kept = int(kept.sum())
    names = (CITYSCAPES_CLASSES if num_classes == len(CITYSCAPES_CLASSES)
             else [str(i) for i in range(num_classes)])
    per_class = {
        names[c]: dict(kept=int(kept[c]),
                       precision=100.0 * correct[c] / kept[c])
        for c in range(num_classes) if kept[c]
    }
    return dict(images=len(pseudo),
                labelled_pixels=labelled,
                kept_pixels=total_kept,
                coverage=100.0 * total_kept / labelled if labelled else None,
                precision=(100.0 * int(correct.sum()) /
                           total_kept if total_kept else None),
                per_class=per_class)


def format_table(result: dict) -> str:
    table = PrettyTable(['class', 'kept pixels', 'precision %'])
    for name, row in result['per_class'].items():
        table.add_row([name, row['kept'], f'{row["precision"]:.1f}'])
    return table.get_string()


def main(argv: Optional[List[str]] = None) -> Dict:
    args = parse_args(argv)
    result = compare(args.pseudo_dir, args.gt_dir, args.pseudo_suffix,
                     args.gt_suffix, args.num_classes)
    print(f'{args.pseudo_dir}: {result["images"]} images, kept '
          f'{result["coverage"]:.1f}% of the labelled pixels, '
          f'{result["precision"]:.1f}% of those correct')
    print(format_table(result))
    if args.out:
        atomic_write_json(args.out, result)
    return result


if __name__ == '__main__':
    main()
