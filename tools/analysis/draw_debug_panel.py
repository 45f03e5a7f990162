"""Draw the UDA debug panel of a checkpoint (as UDADebugPanelHook does
during training), e.g. to look at a finished run::

    python tools/analysis/draw_debug_panel.py configs/demo/dacs_synthetic.py \\
        work_dirs/dacs/iter_1000.pth --out panel.png --num-samples 2

The samples are the hook's: evenly spaced source and target images of the
config's train dataset after one pass of the train pipeline (seeded by
``--seed``).
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional

import cv2
from mmengine.config import Config
from mmengine.runner import Runner, load_checkpoint

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from mmseg_uda.datasets.file_io import atomic_imwrite  # noqa: E402
from mmseg_uda.utils import allow_full_checkpoint_loading  # noqa: E402


def draw_panel(cfg: Config, checkpoint: str, num_samples: int = 2,
               cell_width: int = 256, seed: int = 0):
    """The panel (H, W, 3) RGB uint8 and its column layout."""
    cfg.randomness = dict(seed=seed)
    cfg.load_from = None
    cfg.resume = False
    runner = Runner.from_cfg(cfg)
    ckpt = load_checkpoint(runner.model, checkpoint, map_location='cpu')
    # staged methods (GL, BDL): the aligners of the checkpoint's last step
    trained = int(ckpt.get('meta', {}).get('iter', 1)) - 1
    for hook in runner.hooks:
        if hasattr(hook, 'apply_stage_of'):
            hook.apply_stage_of(runner, max(trained, 0))
    from mmseg.registry import HOOKS
    panels = HOOKS.build(
        dict(type='UDADebugPanelHook', num_samples=num_samples,
             cell_width=cell_width))
    panels.before_train(runner)
    if panels._batch is None:
        raise ValueError(f'{cfg.filename}: not a UDA config (the model has '
                         'no debug_maps or the train data is not a '
                         'UDADataset); no panel to draw')
    return panels.draw(runner, step=trained + 1), panels.layout


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description='Draw the UDA debug panel of a checkpoint')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', required=True, help='output PNG')
    parser.add_argument('--num-samples', type=int, default=2)
    parser.add_argument('--cell-width', type=int, default=256)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--work-dir',
                        default=None,
                        help='where the runner logs (default: a folder next '
                        'to --out)')
    args = parser.parse_args(argv)
    allow_full_checkpoint_loading()
    cfg = Config.fromfile(args.config)
    cfg.work_dir = args.work_dir or osp.splitext(args.out)[0] + '_log'
    panel, layout = draw_panel(cfg, args.checkpoint, args.num_samples,
                               args.cell_width, args.seed)
    atomic_imwrite(args.out, cv2.cvtColor(panel, cv2.COLOR_RGB2BGR))
    for domain, columns in layout.items():
        print(f'{domain}: {" | ".join(columns)}')
    print(f'panel {panel.shape[1]}x{panel.shape[0]} -> {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
