"""Atomic file writing: content, mode, no temporary left on failure."""
import json
import os
import stat

import numpy as np
import pytest

from mmseg_uda.datasets.file_io import (atomic_imwrite, atomic_write_bytes,
                                        atomic_write_json,
                                        class_pixel_counts)


def test_written_files_get_the_mode_of_a_plain_open(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_bytes(str(tmp_path / 'a' / 'x.bin'), b'abc')
    finally:
        os.umask(old)
    path = tmp_path / 'a' / 'x.bin'
    assert path.read_bytes() == b'abc'
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_json_and_png_round_trip(tmp_path):
    atomic_write_json(str(tmp_path / 's.json'), {'a': 1})
    assert json.loads((tmp_path / 's.json').read_text()) == {'a': 1}
    label = np.array([[0, 1], [255, 2]], np.uint8)
    atomic_imwrite(str(tmp_path / 'l.png'), label)
    import cv2
    assert (cv2.imread(str(tmp_path / 'l.png'),
                       cv2.IMREAD_UNCHANGED) == label).all()
    assert class_pixel_counts(label, 3) == {'0': 1, '1': 1, '2': 1}


def test_a_failed_encode_leaves_nothing(tmp_path):
    with pytest.raises(Exception):
        atomic_imwrite(str(tmp_path / 'x.png'), np.zeros((2, 2, 7),
                                                         np.float64))
    assert os.listdir(tmp_path) == []
