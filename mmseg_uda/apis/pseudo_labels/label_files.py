"""Pseudo-label files: where each image's label goes, and reading / writing
it as a uint8 PNG (atomically, so an existing file is complete).
"""
import os.path as osp
from typing import Optional, Tuple

import cv2
import numpy as np

from ...datasets.file_io import atomic_write_bytes

#: Default file name ending of a pseudo label (after the image's stem).
DEFAULT_SUFFIX = '_pseudoTrainIds.png'


def label_path(img_path: str, img_dir: str, img_suffix: str, out_dir: str,
               suffix: str) -> str:
    """Where the pseudo label of ``img_path`` goes.

    The image's path relative to the dataset's image folder keeps its
    sub-folders (Cityscapes cities) and loses ``img_suffix``, exactly as
    MMSeg's ``BaseSegDataset`` derives label names, so a dataset with
    ``data_prefix.seg_map_path=out_dir`` and ``seg_map_suffix=suffix``
    reads them: ``<img_dir>/aachen/aachen_000000_000019_leftImg8bit.png``
    -> ``<out_dir>/aachen/aachen_000000_000019<suffix>``.
    """
    rel = osp.relpath(img_path, img_dir)
    if rel.startswith('..') or osp.isabs(rel):
        raise ValueError(f'pseudo labels: image {img_path!r} is not inside '
                         f'the dataset image folder {img_dir!r}')
    if img_suffix and rel.endswith(img_suffix):
        stem = rel[:-len(img_suffix)]
    else:
        stem = osp.splitext(rel)[0]
    return osp.join(out_dir, stem + suffix)


def encode_png(label: np.ndarray, path: str) -> bytes:
    """PNG bytes of a (H, W) uint8 label (``path`` for the error only)."""
    ok, buf = cv2.imencode('.png', label)
    if not ok:
        raise OSError(f'pseudo labels: could not encode {path!r}')
    return buf.tobytes()


def write_label(path: str, label: np.ndarray) -> None:
    """Write a uint8 PNG atomically (temporary file, then rename)."""
    atomic_write_bytes(path, encode_png(label, path))


def read_label(path: str) -> Optional[np.ndarray]:
    """A written label, or None when missing or unreadable."""
    if not osp.isfile(path):
        return None
    label = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if label is None or label.ndim != 2 or label.dtype != np.uint8:
        return None
    return label


def image_dir(dataset) -> Tuple[str, str]:
    """(image folder, image suffix) of an MMSeg dataset: the part of each
    image path that :func:`label_path` replaces with the output folder."""
    prefix = getattr(dataset, 'data_prefix', None)
    if not isinstance(prefix, dict) or not prefix.get('img_path'):
        raise TypeError(
            f'pseudo labels: the target dataset {type(dataset).__name__} has '
            "no data_prefix['img_path']; expected an MMSeg BaseSegDataset "
            '(e.g. CityscapesDataset)')
    return prefix['img_path'], getattr(dataset, 'img_suffix', '')
