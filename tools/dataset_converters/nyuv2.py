"""Convert the official NYUv2 labeled ``.mat`` to 40-class PNG folders.

Inputs:

* ``nyu_depth_v2_labeled.mat``: MATLAB v7.3 (HDF5); ``images`` is
  (N, 3, W, H) uint8 and ``labels`` (N, W, H) with 894 class ids
  (0 = unlabeled), both stored transposed by MATLAB.
* ``splits.mat`` (MATLAB v5): ``trainNdxs`` (795) and ``testNdxs`` (654),
  1-based image numbers.
* ``classMapping40.mat`` (MATLAB v5): ``mapClass``, the 40-class id (1..40)
  of every raw class id 1..894. It is not part of the official release
  and cannot be downloaded here: pass it with ``--class-map`` (default: next
  to the labeled ``.mat``).

Output (read by ``NYUv2Dataset``), ``<idx>`` = the 1-based image number::

    out_root/images/{train,test}/<idx:04d>.png       RGB images
    out_root/annotations/{train,test}/<idx:04d>.png  uint8 0..39, 255 = void

label40 = lookup[raw] with lookup = [0] + mapClass; 0 -> 255, c -> c - 1.

Example::

    python tools/dataset_converters/nyuv2.py nyu_depth_v2_labeled.mat \
        splits.mat data/nyuv2 --class-map classMapping40.mat
"""
import argparse
import os.path as osp
from typing import Dict, Optional, Tuple

import h5py
import numpy as np
import scipy.io

from mmseg_uda.datasets.file_io import atomic_imwrite, run_tasks
from mmseg_uda.datasets.label_mapping import map_ids

NUM_CLASSES = 40
SPLIT_KEYS = {'train': 'trainNdxs', 'test': 'testNdxs'}

# Per-process cache of the open HDF5 file: workers open it once each.
_H5_CACHE: Dict[str, h5py.File] = {}


def _open_h5(path: str) -> h5py.File:
    if path not in _H5_CACHE:
        _H5_CACHE[path] = h5py.File(path, 'r')
    return _H5_CACHE[path]


def _close_h5() -> None:
    while _H5_CACHE:
        _H5_CACHE.popitem()[1].close()


def _load_mat_variable(path: str, key: str) -> np.ndarray:
    if not osp.isfile(path):
        raise FileNotFoundError(f'file not found: {path!r}')
    try:
        content = scipy.io.loadmat(path)
    except Exception as err:
        raise ValueError(f'cannot read {path!r} as a MATLAB v5 .mat file: '
                         f'{err}') from err
    if key not in content:
        found = sorted(k for k in content if not k.startswith('__'))
        raise KeyError(f'{path!r} has no variable {key!r} (found {found})')
    return np.asarray(content[key])


def load_class_lookup(class_map_path: str) -> Dict[int, int]:
    """Raw NYUv2 class id (1..894) -> 0..39 from ``mapClass``.

    Raw id 0 (unlabeled) and ids beyond ``mapClass`` map to void (255).
    """
    map_class = _load_mat_variable(class_map_path, 'mapClass').ravel()
    if map_class.size == 0 or map_class.min() < 1 or \
            map_class.max() > NUM_CLASSES:
        raise ValueError(
            f'{class_map_path!r}: mapClass must hold values in 1..40, got '
            f'{map_class.size} values in '
            f'[{map_class.min() if map_class.size else None}, '
            f'{map_class.max() if map_class.size else None}]')
    # lookup = [0] + mapClass, then 40-class c -> c - 1 and 0 -> void.
    return {
        raw_id: int(c) - 1
        for raw_id, c in enumerate(map_class.tolist(), start=1)
    }


def load_splits(splits_path: str, num_images: int) -> Dict[str, np.ndarray]:
    """1-based image numbers of the train and test splits."""
    splits = {}
    for split, key in SPLIT_KEYS.items():
        ids = _load_mat_variable(splits_path, key).ravel().astype(np.int64)
        if ids.size == 0 or ids.min() < 1 or ids.max() > num_images:
            raise ValueError(
                f'{splits_path!r}: {key} must hold 1-based indices in '
                f'1..{num_images} (images in the labeled .mat)')
        splits[split] = ids
    return splits


def check_labeled_mat(mat_path: str) -> int:
    """Validate the keys and shapes of the labeled ``.mat``; return N."""
    if not osp.isfile(mat_path):
        raise FileNotFoundError(f'file not found: {mat_path!r}')
    try:
        f = h5py.File(mat_path, 'r')
    except OSError as err:
        raise ValueError(f'cannot read {mat_path!r} as HDF5 (expected the '
                         f'MATLAB v7.3 nyu_depth_v2_labeled.mat): '
                         f'{err}') from err
    with f:
        return _check_h5_content(mat_path, f)


def _check_h5_content(mat_path: str, f: h5py.File) -> int:
    for key in ('images', 'labels'):
        if key not in f:
            raise KeyError(f'{mat_path!r} has no dataset {key!r} (found '
                           f'{sorted(f.keys())})')
    images, labels = f['images'], f['labels']
    if images.ndim != 4 or images.shape[1] != 3 or \
            images.dtype != np.uint8:
        raise ValueError(f'{mat_path!r}: images is {images.shape} '
                         f'{images.dtype}; expected (N, 3, W, H) uint8')
    if labels.ndim != 3 or labels.shape[0] != images.shape[0] or \
            labels.shape[1:] != images.shape[2:]:
        expected = (images.shape[0], ) + images.shape[2:]
        raise ValueError(f'{mat_path!r}: labels is {labels.shape}; expected '
                         f'(N, W, H) = {expected} matching images')
    return images.shape[0]


def convert_sample(task: Tuple) -> str:
    """Write image and 40-class label of one sample.

    Args:
        task (tuple): ``(mat_path, lookup, image_number, split, out_root,
            overwrite)``; ``image_number`` is 1-based.

    Returns:
        str: The written (or kept) label path.
    """
    mat_path, lookup, number, split, out_root, overwrite = task
    name = f'{number:04d}.png'
    img_out = osp.join(out_root, 'images', split, name)
    ann_out = osp.join(out_root, 'annotations', split, name)
    if osp.exists(img_out) and osp.exists(ann_out) and not overwrite:
        return ann_out
    f = _open_h5(mat_path)
    # MATLAB stores column-major: (3, W, H) -> (H, W, 3).
    rgb = np.transpose(f['images'][number - 1], (2, 1, 0))
    raw = np.asarray(f['labels'][number - 1]).T
    if raw.dtype.kind not in 'iu':
        if not np.all(np.mod(raw, 1) == 0):
            raise ValueError(f'{mat_path!r}: labels of image {number} are '
                             'not integer class ids')
        raw = raw.astype(np.int64)
    max_raw = max(lookup)
    if raw.size and (raw.min() < 0 or raw.max() > max_raw):
        raise ValueError(f'{mat_path!r}: labels of image {number} hold ids in '
                         f'[{raw.min()}, {raw.max()}]; expected 0..{max_raw} '
                         '(0 = unlabeled, ids of mapClass)')
    atomic_imwrite(img_out, np.ascontiguousarray(rgb[..., ::-1]))
    atomic_imwrite(ann_out, map_ids(raw, lookup))
    return ann_out


def convert_nyuv2(mat_path: str,
                  splits_path: str,
                  out_root: str,
                  class_map_path: Optional[str] = None,
                  nproc: int = 1,
                  overwrite: bool = False) -> Dict[str, int]:
    """Convert NYUv2 to image / 40-class label PNG folders.

    Args:
        mat_path (str): ``nyu_depth_v2_labeled.mat`` (HDF5).
        splits_path (str): ``splits.mat`` with ``trainNdxs``/``testNdxs``.
        out_root (str): Output folder.
        class_map_path (str, optional): ``classMapping40.mat``; defaults to
            that name next to ``mat_path``.
        nproc (int): Worker processes. Defaults to 1.
        overwrite (bool): Rewrite samples whose outputs exist.

    Returns:
        dict[str, int]: Number of samples per split.
    """
    if class_map_path is None:
        class_map_path = osp.join(osp.dirname(osp.abspath(mat_path)),
                                  'classMapping40.mat')
        if not osp.isfile(class_map_path):
            raise FileNotFoundError(
                f'class mapping not found: {class_map_path!r}; pass the '
                '894 -> 40 mapping (classMapping40.mat, variable mapClass) '
                'with --class-map')
    lookup = load_class_lookup(class_map_path)
    num_images = check_labeled_mat(mat_path)
    splits = load_splits(splits_path, num_images)
    tasks = [(mat_path, lookup, int(n), split, out_root, overwrite)
             for split, ids in splits.items() for n in ids]
    try:
        run_tasks(convert_sample, tasks, nproc)
    finally:
        _close_h5()
    return {split: len(ids) for split, ids in splits.items()}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert the NYUv2 labeled .mat into image and '
        '40-class label PNGs (images/{train,test}, annotations/{train,test})')
    parser.add_argument('mat_path', help='nyu_depth_v2_labeled.mat (HDF5)')
    parser.add_argument('splits_path', help='splits.mat (trainNdxs/testNdxs)')
    parser.add_argument('out_root', help='output folder')
    parser.add_argument(
        '--class-map',
        default=None,
        help='classMapping40.mat with mapClass (894 -> 40); default: next '
        'to mat_path')
    parser.add_argument('--nproc',
                        type=int,
                        default=1,
                        help='number of processes')
    parser.add_argument('--overwrite',
                        action='store_true',
                        help='rewrite samples that already have outputs')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    counts = convert_nyuv2(args.mat_path, args.splits_path, args.out_root,
                           args.class_map, args.nproc, args.overwrite)
    print(f'\nwrote {counts} NYUv2 samples to {args.out_root}')


if __name__ == '__main__':
    main()
