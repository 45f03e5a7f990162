"""Convert GTA5 labels (Cityscapes label ids) to the 19 train ids.

Reads ``<gta_root>/labels/*.png`` and writes, next to each file,
``<name>_labelTrainIds.png`` (uint8, 0..18 and 255 = ignore) as read by
``GTA5Dataset``, plus ``<gta_root>/sample_class_stats.json`` with the pixel
count per train id of every image.

Every pair is checked on the way (``mmseg_uda.datasets.pair_check``): a
label of another size than its image is resized to it (nearest); an
unreadable file, a label of mostly unknown ids (above 33), a blank frame or
a label without trainable pixels excludes the pair; a few unknown ids are
ignored (255) and reported. ``conversion_report.json`` lists every fix and
exclusion, ``excluded_pairs.txt`` the names ``GTA5Dataset`` skips.

Example::

    python tools/dataset_converters/gta5.py data/gta --nproc 8
"""
import argparse
import os
import os.path as osp
from typing import Dict, Optional, Tuple

import numpy as np
from PIL import Image

from mmseg_uda.datasets.file_io import (atomic_imwrite, class_pixel_counts,
                                        run_tasks)
from mmseg_uda.datasets.label_mapping import (CITYSCAPES_ID_TO_TRAINID,
                                              map_ids)
from mmseg_uda.datasets.pair_check import (PairCheck, check_image,
                                           check_label_ids,
                                           finish_conversion, fit_to_image)

OUT_SUFFIX = '_labelTrainIds.png'
STATS_FILE = 'sample_class_stats.json'
NUM_CLASSES = 19
#: Highest Cityscapes label id (GTA5 labels use the Cityscapes ids).
MAX_LABEL_ID = 33


def read_label_ids(path: str) -> np.ndarray:
    """Read a GTA5 label PNG as an (H, W) uint8 array of label ids.

    GTA5 ships palettised PNGs whose palette indices are the ids; PIL gives
    the indices for mode ``P`` and ``L`` (OpenCV would expand the palette
    to colours). Anything else is rejected.
    """
    try:
        with Image.open(path) as img:
            mode = img.mode
            label = np.array(img)
    except Exception as err:
        raise OSError(f'cannot read GTA5 label {path!r}: {err}') from err
    if mode not in ('P', 'L') or label.ndim != 2 or label.dtype != np.uint8:
        raise ValueError(
            f'GTA5 label {path!r} is mode {mode!r} with shape {label.shape} '
            f'and dtype {label.dtype}; expected a single-channel uint8 PNG '
            'of Cityscapes label ids (mode P or L)')
    return label


def _read_train_ids(path: str) -> np.ndarray:
    label = np.array(Image.open(path))
    if label.ndim != 2 or label.dtype != np.uint8:
        raise ValueError(f'converted label {path!r} is not a single-channel '
                         'uint8 PNG; rerun with --overwrite')
    return label


def convert_file(
    task: Tuple[str, str, bool]
) -> Tuple[str, Optional[Dict[str, int]], PairCheck]:
    """Check and convert one pair.

    Args:
        task (tuple): ``(label_path, image_path, overwrite)``.

    Returns:
        tuple: Image name (file name without ``.png``), its class pixel
        counts (None for an excluded pair) and the check's result.
    """
    src, image, overwrite = task
    name = osp.basename(src)[:-len('.png')]
    dst = src[:-len('.png')] + OUT_SUFFIX
    problem, detail, size = check_image(image)
    if problem is not None:
        return name, None, PairCheck(name, problem, detail)
    check = PairCheck(name)
    if osp.exists(dst) and not overwrite:
        train_ids = _read_train_ids(dst)
    else:
        try:
            ids = read_label_ids(src)
        except (OSError, ValueError) as err:
            return name, None, PairCheck(name, 'unreadable_label', str(err))
        check = check_label_ids(name, ids, MAX_LABEL_ID, src)
        if check.problem is not None:
            return name, None, check
        train_ids = map_ids(ids, CITYSCAPES_ID_TO_TRAINID)
    if (train_ids == 255).all():
        return name, None, PairCheck(
            name, 'no_labelled_pixels',
            f'label {src!r} has no pixel of the {NUM_CLASSES} classes')
    train_ids, check.resized_from = fit_to_image(train_ids, size)
    if check.resized_from is not None or not osp.exists(dst) or overwrite:
        atomic_imwrite(dst, train_ids)
    if check.resized_from is not None:
        check.detail = f'label {check.resized_from} -> image {size}'
    return name, class_pixel_counts(train_ids, NUM_CLASSES), check


def convert_gta5(gta_root: str,
                 nproc: int = 1,
                 overwrite: bool = False) -> Dict[str, Dict[str, int]]:
    """Convert every label of a GTA5 folder to train ids.

    Args:
        gta_root (str): Folder holding ``images/`` and ``labels/``.
        nproc (int): Worker processes. Defaults to 1.
        overwrite (bool): Convert files whose output already exists.
            Defaults to False (they are read back for the statistics).

    Returns:
        dict: Image name -> ``{train_id (str): pixel count}`` of the usable
        pairs; the same content is written to
        ``<gta_root>/sample_class_stats.json``, the pre-scan's report to
        ``conversion_report.json`` (and ``excluded_pairs.txt``).
    """
    label_dir = osp.join(gta_root, 'labels')
    if not osp.isdir(label_dir):
        raise FileNotFoundError(f'GTA5 label folder not found: '
                                f'{label_dir!r} (expected <gta_root>/labels)')
    sources = sorted(
        osp.join(label_dir, f) for f in os.listdir(label_dir)
        if f.endswith('.png') and not f.endswith(OUT_SUFFIX)
        and not f.startswith('.'))
    if not sources:
        raise FileNotFoundError(f'no GTA5 label PNG found in {label_dir!r}')
    image_dir = osp.join(gta_root, 'images')
    tasks = [(s, osp.join(image_dir, osp.basename(s)), overwrite)
             for s in sources]
    return finish_conversion(gta_root, 'GTA5',
                             run_tasks(convert_file, tasks, nproc),
                             STATS_FILE)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert GTA5 labels to Cityscapes train ids '
        '(writes labels/*_labelTrainIds.png and sample_class_stats.json)')
    parser.add_argument('gta_root', help='GTA5 folder with images/, labels/')
    parser.add_argument('--nproc',
                        type=int,
                        default=1,
                        help='number of processes')
    parser.add_argument('--overwrite',
                        action='store_true',
                        help='convert again files that already have an output')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    stats = convert_gta5(args.gta_root, args.nproc, args.overwrite)
    print(f'\nconverted {len(stats)} GTA5 labels in {args.gta_root}')


if __name__ == '__main__':
    main()
