"""File helpers for the offline dataset tools.

Writes are atomic (temporary file in the same folder, then ``os.replace``)
so that an interrupted conversion never leaves a half-written PNG that a
later run would skip as "already converted".
"""
import json
import os
import os.path as osp
import tempfile
from typing import Any, Callable, List, Sequence

import cv2
import numpy as np
from mmengine.utils import track_parallel_progress, track_progress


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating parent folders."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(path)}.',
                               suffix='.tmp',
                               dir=folder)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        # mkstemp creates 0600; give the file the mode a plain open()
        # would (0666 less the umask), so others can read outputs
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def atomic_imwrite(path: str, img: np.ndarray) -> None:
    """Encode ``img`` with OpenCV by the extension of ``path`` and write it
    atomically.

    Args:
        path (str): Output file, e.g. ``.../0001.png``.
        img (np.ndarray): (H, W) or (H, W, 3) in OpenCV's BGR order.
    """
    ext = osp.splitext(path)[1]
    ok, buf = cv2.imencode(ext, img)
    if not ok:
        raise OSError(f'could not encode {path!r} (array {img.shape} '
                      f'{img.dtype})')
    atomic_write_bytes(path, buf.tobytes())


def atomic_write_json(path: str, obj: Any) -> None:
    """Dump ``obj`` as indented JSON to ``path`` atomically."""
    atomic_write_bytes(path, json.dumps(obj, indent=1).encode('utf-8'))


def run_tasks(func: Callable, tasks: Sequence, nproc: int = 1) -> List:
    """``[func(t) for t in tasks]`` with a progress bar, in ``nproc``
    processes when ``nproc > 1``."""
    tasks = list(tasks)
    if nproc < 1:
        raise ValueError(f'nproc must be >= 1, got {nproc}')
    if nproc > 1 and len(tasks) > 1:
        return track_parallel_progress(func, tasks, nproc)
    return track_progress(func, tasks)


def class_pixel_counts(label: np.ndarray, num_classes: int) -> dict:
    """Pixel count per class id present in ``label`` (ignore excluded).

    Args:
        label (np.ndarray): uint8 label map (H, W).
        num_classes (int): Ids ``0..num_classes - 1`` are counted.

    Returns:
        dict[str, int]: ``str(class_id) -> count`` for classes with pixels
        (string keys so that it round-trips through JSON unchanged).
    """
    counts = np.bincount(label.ravel(), minlength=256)[:num_classes]
    return {str(c): int(n) for c, n in enumerate(counts) if n > 0}
