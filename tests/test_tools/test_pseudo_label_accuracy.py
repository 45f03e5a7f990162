"""tools/analysis/pseudo_label_accuracy.py on hand-made label PNGs."""
import importlib.util
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

TOOL = Path(__file__).parents[2] / 'tools' / 'analysis' / \
    'pseudo_label_accuracy.py'


def _tool():
    spec = importlib.util.spec_from_file_location('pseudo_label_accuracy',
                                                  TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(path: Path, label):
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), np.array(label, np.uint8))


def test_coverage_and_precision_by_hand(tmp_path, capsys):
    pseudo, gt = tmp_path / 'pseudo', tmp_path / 'gt'
    # image a: 5 labelled pixels (one gt 255: its pseudo label 10 does not
    # count); kept 4 of them: road right, road wrong, sky right, sky right;
    # one dropped (255)
    _write(pseudo / 'city' / 'a_pseudoTrainIds.png',
           [[0, 0, 10], [255, 10, 10]])
    _write(gt / 'city' / 'a_gtFine_labelTrainIds.png',
           [[0, 1, 10], [10, 10, 255]])
    # image b at half the size of its gt (resized nearest: all road):
    # 4 labelled, 4 kept, 2 correct
    _write(pseudo / 'city' / 'b_pseudoTrainIds.png', [[0]])
    _write(gt / 'city' / 'b_gtFine_labelTrainIds.png', [[0, 0], [2, 2]])
    # a ground truth without pseudo label is not counted
    _write(gt / 'city' / 'c_gtFine_labelTrainIds.png', [[0]])
    out = tmp_path / 'acc.json'
    result = _tool().main([str(pseudo), str(gt), '--out', str(out)])
    assert result['images'] == 2
    assert result['labelled_pixels'] == 9
    assert result['kept_pixels'] == 8
    assert result['coverage'] == pytest.approx(100 * 8 / 9)
    assert result['precision'] == pytest.approx(100 * 5 / 8)
    assert result['per_class'] == dict(road=dict(kept=6, precision=50.0),
                                       sky=dict(kept=2, precision=100.0))
    assert json.loads(out.read_text())['kept_pixels'] == 8
    printed = capsys.readouterr().out
    assert '88.9% of the labelled pixels' in printed and 'road' in printed


def test_missing_ground_truth_names_the_file(tmp_path):
    _write(tmp_path / 'pseudo' / 'x_pseudoTrainIds.png', [[0]])
    (tmp_path / 'gt').mkdir()
    with pytest.raises(FileNotFoundError, match='x_gtFine_labelTrainIds'):
        _tool().main([str(tmp_path / 'pseudo'), str(tmp_path / 'gt')])
    with pytest.raises(FileNotFoundError, match='no \\*_pseudoTrainIds'):
        _tool().main([str(tmp_path / 'gt'), str(tmp_path / 'gt')])
