"""tools/visualize_affinity.py end to end on a tiny model and image."""
import importlib.util
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmseg.registry import MODELS
from mmseg_uda.models.losses import AffinityRegressionLoss

ROOT = Path(__file__).parents[2]
TOOL = ROOT / 'tools' / 'visualize_affinity.py'
CONFIG = ROOT / 'configs' / 'demo' / 'arloss_synthetic.py'
H, W = 40, 60


def _tool():
    spec = importlib.util.spec_from_file_location('visualize_affinity', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    """A random-weight demo checkpoint, an image and its label."""
    root = tmp_path_factory.mktemp('vis')
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(CONFIG)).model)
    classes = tuple(f'c{i}' for i in range(19))
    ckpt = root / 'model.pth'
    torch.save(
        dict(state_dict=model.state_dict(),
             meta=dict(dataset_meta=dict(classes=classes,
                                         palette=[[i, i, i]
                                                  for i in range(19)]))),
        ckpt)
    rng = np.random.default_rng(0)
    image = root / 'img.png'
    cv2.imwrite(str(image), rng.integers(0, 255, (H, W, 3), dtype=np.uint8))
    label = np.zeros((H, W), np.uint8)
    label[:, W // 2:] = 13
    label[:H // 4] = 10
    label[-4:, :8] = 255
    label_path = root / 'label.png'
    cv2.imwrite(str(label_path), label)
    return dict(ckpt=str(ckpt),
                image=str(image),
                label=str(label_path),
                label_array=label,
                root=root)


@pytest.mark.parametrize('backend', ['matplotlib', 'cv2'])
def test_writes_side_by_side_heat_maps(files, backend, capsys):
    out = files['root'] / f'aff_{backend}.png'
    _tool().main([
        str(CONFIG), files['ckpt'], files['image'], '--label',
        files['label'], '--out',
        str(out), '--backend', backend
    ])
    img = cv2.imread(str(out))
    assert img is not None and img.ndim == 3
    if backend == 'cv2':
        # two 180 x 180 matrices at 3 px per entry, a 12 px gap, a title
        assert img.shape[:2] == (28 + 540, 540 + 12 + 540)
        left, right = img[28:, :540], img[28:, 552:]
        assert not np.array_equal(left, right)
    printed = capsys.readouterr().out
    assert 'AR loss' in printed and 'L = 180' in printed


def test_without_label_draws_a_only(files):
    out = files['root'] / 'a_only.png'
    _tool().main([
        str(CONFIG), files['ckpt'], files['image'], '--out',
        str(out), '--backend', 'cv2'
    ])
    assert cv2.imread(str(out)).shape[:2] == (28 + 540, 540)


def test_matrices_are_what_the_loss_sees(files):
    tool = _tool()
    logits = tool.predict_logits(str(CONFIG), files['ckpt'], files['image'],
                                 'cpu')
    assert logits.shape == (19, H, W)
    label = files['label_array']
    mats = tool.affinity_matrices(logits, label)
    a, m, valid = mats['A'], mats['M'], mats['valid']
    assert a.shape == m.shape == valid.shape == (180, 180)
    assert np.allclose(np.diag(a), 1, atol=1e-5)
    # M from the label at the nearest grid positions (12x12, then 6x6)
    ys = [label[r * H // g, c * W // g] for g in (12, 6) for r in range(g)
          for c in range(g)]
    ys = np.array(ys)
    assert np.array_equal(m, (ys[:, None] == ys[None, :]).astype(np.float32))
    assert np.array_equal(valid, (ys[:, None] != 255) & (ys[None, :] != 255))
    assert (ys == 255).any() and not valid.all()
    expected = AffinityRegressionLoss(loss_weight=1.0)(
        logits[None], torch.from_numpy(label.astype(np.int64))[None])
    assert mats['loss'] == pytest.approx(float(expected), rel=1e-6)


def test_bad_inputs_name_the_file(files):
    tool = _tool()
    with pytest.raises(FileNotFoundError, match='missing.png'):
        tool.main([
            str(CONFIG), files['ckpt'],
            str(files['root'] / 'missing.png'), '--out',
            str(files['root'] / 'x.png')
        ])
    rgb_label = files['root'] / 'rgb_label.png'
    cv2.imwrite(str(rgb_label), np.zeros((H, W, 3), np.uint8))
    with pytest.raises(ValueError, match='rgb_label.png'):
        tool.main([
            str(CONFIG), files['ckpt'], files['image'], '--label',
            str(rgb_label), '--out',
            str(files['root'] / 'x.png')
        ])
