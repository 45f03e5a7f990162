"""tools/generate_pseudo_labels.py on the self-training demo config."""
import json
import os.path as osp
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from config_fixtures import tiny_run_cfg
from mmseg.registry import DATASETS, MODELS
from mmseg_uda.apis.pseudo_labels import PseudoLabelGenerator

ROOT = osp.join(osp.dirname(__file__), '..', '..')
sys.path.insert(0, osp.join(ROOT, 'tools'))
import generate_pseudo_labels as tool  # noqa: E402

CONFIG = osp.join(ROOT, 'configs', 'demo', 'selftraining_synthetic.py')


@pytest.fixture
def setup(tmp_path, monkeypatch):
    # the tool enables full checkpoint loading for its process; keep it to
    # this test
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    cfg = tiny_run_cfg(Config.fromfile(CONFIG), tmp_path)
    config = str(tmp_path / 'cfg.py')
    cfg.dump(config)
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    ckpt = str(tmp_path / 'iter_1.pth')
    torch.save(dict(state_dict=model.state_dict(), meta=dict(iter=1)), ckpt)
    return cfg, config, model, ckpt


def test_tool_writes_the_labels_of_the_checkpoint(setup, tmp_path):
    cfg, config, model, ckpt = setup
    out = str(tmp_path / 'pl')
    summary = tool.main([config, ckpt, '--out', out, '--label-scale', '4',
                         '3'])
    assert summary['status'] == 'complete'
    assert summary['model']['checkpoint'] == osp.abspath(ckpt)
    label = cv2.imread(
        osp.join(out, 'aachen', 'aachen_000000_000019_pseudoTrainIds.png'),
        cv2.IMREAD_UNCHANGED)
    assert label.shape == (3, 4)

    # the same as the generator on the checkpoint's model; the target
    # pipeline's LoadAnnotations is left out (no labels exist yet)
    target = dict(cfg.train_dataloader.dataset.target)
    dataset = DATASETS.build(tool.target_dataset_cfg(cfg))
    assert 'LoadAnnotations' not in [
        type(t).__name__ for t in dataset.pipeline.transforms
    ]
    assert target['type'] == 'CityscapesDataset'
    ref = PseudoLabelGenerator(str(tmp_path / 'ref'),
                               label_scale=(4, 3)).run(model, dataset)
    assert ref['thresholds'] == summary['thresholds']
    assert ref['model']['fingerprint'] == summary['model']['fingerprint']
    np.testing.assert_array_equal(
        label,
        cv2.imread(
            osp.join(str(tmp_path / 'ref'), 'aachen',
                     'aachen_000000_000019_pseudoTrainIds.png'),
            cv2.IMREAD_UNCHANGED))
    with open(osp.join(out, 'pseudo_labels.json')) as f:
        assert json.load(f) == summary


def test_plain_segmentor_checkpoint_and_bad_inputs(setup, tmp_path):
    cfg, config, model, ckpt = setup
    plain = str(tmp_path / 'plain.pth')
    torch.save(dict(state_dict=model.segmentor.state_dict()), plain)
    out = str(tmp_path / 'pl')
    summary = tool.main([config, plain, '--out', out])
    assert summary['status'] == 'complete'
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        tool.main([config, str(tmp_path / 'missing.pth'), '--out', out])
    other = str(tmp_path / 'other.pth')
    torch.save(dict(state_dict={'x': torch.zeros(1)}), other)
    with pytest.raises(RuntimeError):
        tool.main([config, other, '--out', out])
