"""Which classes does a model confuse on its validation set?

Builds the model of a training config (a UDA config or a plain MMSeg one),
loads a checkpoint, predicts the config's ``val_dataloader`` and prints,
for every class present in the labels, the classes its pixels are
predicted as, most frequent first, with their share::

    python tools/analysis/confusion_table.py configs/demo/dacs_synthetic.py \\
        work_dirs/v11_dacs_s0/iter_1000.pth --top 3 --out confusion.json

UDA models predict with the network they evaluate (G, or the EMA teacher
with ``evaluate_teacher``); ``--teacher`` predicts with the teacher.
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Sequence

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner, load_checkpoint
from prettytable import PrettyTable

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from mmseg_uda.datasets.file_io import atomic_write_json  # noqa: E402
from mmseg_uda.utils import allow_full_checkpoint_loading  # noqa: E402


def top_confusions(conf: np.ndarray, names: Sequence[str],
                   top: int) -> Dict[str, List[tuple]]:
    """Per true class with pixels: ``[(predicted class, share), ...]``.

    Args:
        conf (np.ndarray): (C, C) pixel counts, rows true, columns
            predicted.
        names (Sequence[str]): Class names.
        top (int): Entries per class.
    """
    rows = {}
    for c, row in enumerate(conf):
        total = row.sum()
        if total == 0:
            continue
        order = np.argsort(-row, kind='stable')[:top]
        rows[names[c]] = [(names[p], float(row[p] / total)) for p in order
                          if row[p] > 0]
    return rows


def confusion_matrix(cfg: Config, checkpoint: str,
                     teacher: bool = False) -> tuple:
    """(C, C) counts over ``cfg.val_dataloader`` and the class names."""
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    import mmseg_uda  # noqa: F401  (registers the plugin)
    from mmseg.registry import MODELS
    model = MODELS.build(cfg.model)
    load_checkpoint(model, checkpoint, map_location='cpu')
    if teacher:
        if getattr(model, 'teacher', None) is None:
            raise ValueError(f'{checkpoint}: --teacher needs a model with '
                             'an EMA teacher')
        model.evaluate_teacher = True
    model.eval()
    loader = Runner.build_dataloader(cfg.val_dataloader)
    names = list(loader.dataset.metainfo['classes'])
    n = len(names)
    conf = np.zeros((n, n), np.int64)
    with torch.no_grad():
        for data in loader:
            for sample in model.val_step(data):
                gt = sample.gt_sem_seg.data[0].cpu().numpy().ravel()
                pred = sample.pred_sem_seg.data[0].cpu().numpy().ravel()
                keep = gt < n
                np.add.at(conf, (gt[keep], pred[keep]), 1)
    return conf, names


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--top', type=int, default=3)
    parser.add_argument('--teacher', action='store_true',
                        help='predict with the EMA teacher')
    parser.add_argument('--out', help='JSON file for the full matrix')
    args = parser.parse_args(argv)
    # our own training checkpoints (an entry point, like tools/test.py)
    allow_full_checkpoint_loading()
    cfg = Config.fromfile(args.config)
    cfg.val_dataloader.update(num_workers=0, persistent_workers=False)
    conf, names = confusion_matrix(cfg, args.checkpoint, args.teacher)
    table = PrettyTable(['true class', 'pixels', 'predicted as (share)'])
    table.align = 'l'
    for name, entries in top_confusions(conf, names, args.top).items():
        table.add_row([
            name, int(conf[names.index(name)].sum()),
            ', '.join(f'{p} {s:.2f}' for p, s in entries)
        ])
    print(table)
    if args.out:
        atomic_write_json(args.out,
                          dict(classes=names, confusion=conf.tolist()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
