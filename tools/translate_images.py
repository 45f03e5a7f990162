"""Translate a folder of images with a trained CycleGAN (LDR step 1).

Every image below --src is translated by one generator and written to --out
under the same relative path and file name, at the input's resolution, so a
dataset reads the translated images by changing only its data_root. Only
images are written (no labels, nothing copied). Writes are atomic and a
rerun skips the images already written (resume after an interruption).

Example (the LDR demo, G_A = target -> source)::

    python tools/translate_images.py configs/demo/translation_synthetic.py \\
        work_dirs/translation_synthetic/iter_300.pth \\
        --src data/synthetic_shift/target/leftImg8bit \\
        --out data/synthetic_shift/target_t2s/leftImg8bit
"""
import argparse
import os.path as osp
import sys

# The plugin lives one folder up; make a source checkout work without
# `pip install -e .` as well.
sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402

import mmseg_uda  # noqa: E402,F401  registers the plugin's components
from mmseg_uda.apis import load_translator, translate_folder  # noqa: E402
from mmseg_uda.utils import allow_full_checkpoint_loading  # noqa: E402

EPILOG = """\
Defaults for --direction and --size come from the config's translate_cfg
(dict(direction='a', size=(W, H))) when it has one. Checkpoints are fully
unpickled (TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1): only use checkpoints you
trust.
"""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Translate every image of a folder with a CycleGAN '
        'generator (mmseg_uda)',
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='translation (CycleGAN) config')
    parser.add_argument('checkpoint', help='checkpoint of that config')
    parser.add_argument('--src', required=True,
                        help='folder of the images to translate (searched '
                        'recursively)')
    parser.add_argument('--out', required=True,
                        help='output folder (same relative layout as --src)')
    parser.add_argument('--direction', choices=['a', 'b'], default=None,
                        help="'a': G_A (domain A -> B, target -> source in "
                        "the LDR configs), 'b': G_B (B -> A)")
    parser.add_argument('--size', type=int, nargs=2, metavar=('W', 'H'),
                        default=None,
                        help='run the generator at this size and resize the '
                        'result back to the input resolution')
    parser.add_argument('--suffix', default=None,
                        help="only images whose names end with this, e.g. "
                        "'_leftImg8bit.png'")
    parser.add_argument('--overwrite', action='store_true',
                        help='translate again images that already exist')
    parser.add_argument('--device', default=None,
                        help="default: 'cuda' when available, else 'cpu'")
    parser.add_argument('--no-progress', action='store_true',
                        help='no progress bar')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    allow_full_checkpoint_loading()
    args = parse_args(argv)
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file not found: {args.config}')
    cfg = Config.fromfile(args.config)
    defaults = cfg.get('translate_cfg', None) or {}
    direction = args.direction or defaults.get('direction', 'a')
    size = args.size if args.size is not None else defaults.get('size')
    device = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    translator = load_translator(cfg, args.checkpoint, direction, size,
                                 device)
    counts = translate_folder(translator, args.src, args.out, args.suffix,
                              args.overwrite, not args.no_progress)
    print(f'\n{counts["translated"]} translated, {counts["skipped"]} '
          f'already present (skipped), {counts["total"]} images in '
          f'{args.out}')
    return counts


if __name__ == '__main__':
    main()
