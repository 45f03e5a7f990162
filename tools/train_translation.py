"""Train an image-translation model (CycleGAN) with an MMEngine Runner.

LDR step 1 (SPEC 4.3): learn the target -> source generator G_A, then write
the translated target set with tools/translate_images.py.

Example::

    python tools/train_translation.py configs/demo/translation_synthetic.py
    python tools/train_translation.py CONFIG --work-dir work_dirs/x
    python tools/train_translation.py CONFIG --resume          # latest
    python tools/train_translation.py CONFIG --cfg-options \\
        train_cfg.max_iters=1000

The command line is the one of tools/train.py (shared code: its
parse_args and build_cfg), for translation configs only. Single process:
CycleGAN runs each generator twice before one backward pass, which the
separate-DDP wrapper cannot synchronise, so --launcher must stay 'none'.
"""
import importlib.util
import os.path as osp
import sys

# The plugin lives one folder up; make a source checkout work without
# `pip install -e .` as well.
sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmengine.runner import Runner  # noqa: E402

import mmseg_uda  # noqa: E402,F401  registers the plugin's components
from mmseg.registry import MODELS, RUNNERS  # noqa: E402
from mmseg_uda.utils import allow_full_checkpoint_loading  # noqa: E402


def _segmentation_train_tool():
    """tools/train.py as a module (tools/ is not a package)."""
    path = osp.join(osp.dirname(osp.abspath(__file__)), 'train.py')
    spec = importlib.util.spec_from_file_location('_mmseg_uda_train_tool',
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_translation_cfg(cfg) -> None:
    """Refuse segmentation configs and multi-process launchers early."""
    model_type = cfg.get('model', {}).get('type')
    cls = MODELS.get(model_type) if isinstance(model_type, str) else None
    if cls is None or not hasattr(cls, 'translate'):
        raise ValueError(
            f'{cfg.filename}: model type {model_type!r} is not a translation '
            'model (e.g. CycleGAN); train segmentors with tools/train.py')
    if cfg.get('launcher', 'none') != 'none':
        raise ValueError(
            'tools/train_translation.py trains in one process (CycleGAN runs '
            'each generator twice per step, which DDP cannot sync); use '
            '--launcher none')


def main(argv=None) -> None:
    allow_full_checkpoint_loading()
    train_tool = _segmentation_train_tool()
    args = train_tool.parse_args(
        argv, description='Train an image-translation model (mmseg_uda)')
    cfg = train_tool.build_cfg(args)
    check_translation_cfg(cfg)
    runner = RUNNERS.build(cfg) if 'runner_type' in cfg else \
        Runner.from_cfg(cfg)
    runner.train()


if __name__ == '__main__':
    main()
