"""Convert SYNTHIA-RAND-CITYSCAPES labels to train ids.

Reads ``<synthia_root>/GT/LABELS/*.png`` (16-bit, multi-channel; class id in
the red channel) and writes next to each file

* ``<name>_labelTrainIds.png``: the 19 Cityscapes train ids (+ 255), and
* ``<name>_labelTrainIds16.png``: the 16-class ids (+ 255),

both uint8, as read by ``SynthiaDataset(num_classes=19|16)``, plus
``<synthia_root>/sample_class_stats.json`` (19-class pixel counts per image).

Every pair (``RGB/<name>.png`` and its label) is checked on the way
(``mmseg_uda.datasets.pair_check``): labels of another size than their
image are resized to it (nearest); an unreadable file, a label of mostly
unknown ids (above 22), a blank frame or a label without trainable pixels
excludes the pair (``conversion_report.json``, ``excluded_pairs.txt``,
which ``SynthiaDataset`` skips).

Example::

    python tools/dataset_converters/synthia.py data/synthia --nproc 8
"""
import argparse
import os
import os.path as osp
from typing import Dict, Optional, Tuple

import cv2
import numpy as np

from mmseg_uda.datasets.file_io import (atomic_imwrite, class_pixel_counts,
                                        run_tasks)
from mmseg_uda.datasets.label_mapping import (SYNTHIA_ID_TO_TRAINID,
                                              SYNTHIA_ID_TO_TRAINID16, map_ids)
from mmseg_uda.datasets.pair_check import (PairCheck, check_image,
                                           check_label_ids,
                                           finish_conversion, fit_to_image)

OUT_SUFFIX = '_labelTrainIds.png'
OUT_SUFFIX16 = '_labelTrainIds16.png'
STATS_FILE = 'sample_class_stats.json'
#: Highest SYNTHIA-RAND-CITYSCAPES class id.
MAX_LABEL_ID = 22


def read_class_ids(path: str) -> np.ndarray:
    """Read the class ids of a SYNTHIA label PNG as (H, W) uint16.

    The files are 16-bit with 3 or 4 channels; OpenCV returns them in BGR(A)
    order, so the red channel (the class id; green holds the instance id)
    is channel 2.
    """
    label = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if label is None:
        raise OSError(f'cannot read SYNTHIA label {path!r} (missing, '
                      'truncated or not an image)')
    if label.dtype != np.uint16 or label.ndim != 3 or label.shape[2] < 3:
        channels = label.shape[2] if label.ndim == 3 else 1
        raise ValueError(
            f'SYNTHIA label {path!r} is {label.dtype} with {channels} '
            'channel(s); expected a 16-bit PNG with 3 or 4 channels (class '
            'id in the red channel), as shipped in GT/LABELS')
    return label[..., 2]


def _read_converted(path: str) -> np.ndarray:
    train_ids = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if train_ids is None or train_ids.ndim != 2 or \
            train_ids.dtype != np.uint8:
        raise ValueError(f'converted label {path!r} is not a readable '
                         'single-channel uint8 PNG; rerun with --overwrite')
    return train_ids


def convert_file(
    task: Tuple[str, str, bool]
) -> Tuple[str, Optional[Dict[str, int]], PairCheck]:
    """Check and convert one pair.

    Args:
        task (tuple): ``(label_path, image_path, overwrite)``.

    Returns:
        tuple: Image name, its 19-class pixel counts (None for an excluded
        pair) and the check's result.
    """
    src, image, overwrite = task
    stem = src[:-len('.png')]
    name = osp.basename(stem)
    dst19, dst16 = stem + OUT_SUFFIX, stem + OUT_SUFFIX16
    problem, detail, size = check_image(image)
    if problem is not None:
        return name, None, PairCheck(name, problem, detail)
    check = PairCheck(name)
    if osp.exists(dst19) and osp.exists(dst16) and not overwrite:
        train_ids = _read_converted(dst19)
        train_ids16 = _read_converted(dst16)
        fresh = False
    else:
        try:
            class_ids = read_class_ids(src)
        except (OSError, ValueError) as err:
            return name, None, PairCheck(name, 'unreadable_label', str(err))
        check = check_label_ids(name, class_ids, MAX_LABEL_ID, src)
        if check.problem is not None:
            return name, None, check
        train_ids = map_ids(class_ids, SYNTHIA_ID_TO_TRAINID)
        train_ids16 = map_ids(class_ids, SYNTHIA_ID_TO_TRAINID16)
        fresh = True
    if (train_ids == 255).all():
        return name, None, PairCheck(
            name, 'no_labelled_pixels',
            f'label {src!r} has no pixel of the 19 classes')
    train_ids, check.resized_from = fit_to_image(train_ids, size)
    train_ids16, _ = fit_to_image(train_ids16, size)
    if fresh or check.resized_from is not None:
        atomic_imwrite(dst19, train_ids)
        atomic_imwrite(dst16, train_ids16)
    if check.resized_from is not None:
        check.detail = f'label {check.resized_from} -> image {size}'
    return name, class_pixel_counts(train_ids, 19), check


def convert_synthia(synthia_root: str,
                    nproc: int = 1,
                    overwrite: bool = False) -> Dict[str, Dict[str, int]]:
    """Convert every label of a SYNTHIA-RAND-CITYSCAPES folder.

    Args:
        synthia_root (str): Folder holding ``RGB/`` and ``GT/LABELS/``.
        nproc (int): Worker processes. Defaults to 1.
        overwrite (bool): Convert files whose outputs already exist.

    Returns:
        dict: Image name -> ``{train_id (str): pixel count}`` (19 classes),
        also written to ``<synthia_root>/sample_class_stats.json``.
    """
    label_dir = osp.join(synthia_root, 'GT', 'LABELS')
    if not osp.isdir(label_dir):
        raise FileNotFoundError(
            f'SYNTHIA label folder not found: {label_dir!r} (expected '
            '<synthia_root>/GT/LABELS)')
    sources = sorted(
        osp.join(label_dir, f) for f in os.listdir(label_dir)
        if f.endswith('.png') and not f.endswith((OUT_SUFFIX, OUT_SUFFIX16))
        and not f.startswith('.'))
    if not sources:
        raise FileNotFoundError(f'no SYNTHIA label PNG found in {label_dir!r}')
    image_dir = osp.join(synthia_root, 'RGB')
    tasks = [(s, osp.join(image_dir, osp.basename(s)), overwrite)
             for s in sources]
    return finish_conversion(synthia_root, 'SYNTHIA',
                             run_tasks(convert_file, tasks, nproc),
                             STATS_FILE)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert SYNTHIA-RAND-CITYSCAPES labels to 19-class and '
        '16-class train ids (GT/LABELS/*_labelTrainIds[16].png)')
    parser.add_argument('synthia_root',
                        help='SYNTHIA folder with RGB/ and GT/LABELS/')
    parser.add_argument('--nproc',
                        type=int,
                        default=1,
                        help='number of processes')
    parser.add_argument('--overwrite',
                        action='store_true',
                        help='convert again files that already have outputs')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    stats = convert_synthia(args.synthia_root, args.nproc, args.overwrite)
    print(f'\nconverted {len(stats)} SYNTHIA labels in {args.synthia_root}')


if __name__ == '__main__':
    main()
