"""NumClassesCheckHook: the model's classes against the labelled data."""
import copy
from types import SimpleNamespace

import pytest
from mmengine.runner import Runner

from mmseg.registry import DATASETS, MODELS
from mmseg_uda.engine.hooks import NumClassesCheckHook
from mmseg_uda.engine.hooks.num_classes_check_hook import (labelled_datasets,
                                                           model_num_classes)
from test_uda_training import runner_cfg
from uda_toys import model_cfg


def _with_classes(cfg, n):
    seg = cfg['segmentor']
    seg['decode_head']['num_classes'] = n
    seg['auxiliary_head']['num_classes'] = n
    return cfg


def test_model_num_classes_lists_heads_and_aligners():
    model = MODELS.build(model_cfg(dict(adv=dict(type='OutputAdversarial',
                                                 num_classes=19,
                                                 levels=dict(main=1e-3)))))
    assert model_num_classes(model) == {
        'model.segmentor.decode_head': 19,
        'model.segmentor.auxiliary_head': 19,
        'model.aligners.adv': 19,
    }
    plain = MODELS.build(copy.deepcopy(model_cfg()['segmentor']))
    assert set(model_num_classes(plain)) == {'model.decode_head',
                                             'model.auxiliary_head'}


def test_only_labelled_datasets_are_checked(tmp_path):
    cfg = runner_cfg(tmp_path, tmp_path / 'w', 1)
    uda = DATASETS.build(cfg.train_dataloader.dataset)
    # the target reads images only: its labels cannot disagree
    assert [n for n, _ in labelled_datasets(uda, 'train')] == ['train.source']


def test_mismatch_stops_before_training(tmp_path):
    cfg = runner_cfg(tmp_path, tmp_path / 'w', 1)
    cfg.model = _with_classes(model_cfg(), 7)
    cfg.custom_hooks = [dict(type='NumClassesCheckHook')]
    runner = Runner.from_cfg(cfg)
    with pytest.raises(ValueError,
                       match=r"decode_head': 7.*train_dataloader\.source "
                       r'\(GTA5Dataset.*19 classes'):
        runner.train()
    assert runner.iter == 0


def test_matching_classes_pass(tmp_path):
    cfg = runner_cfg(tmp_path, tmp_path / 'w', 1)
    model = MODELS.build(model_cfg())
    loader = SimpleNamespace(
        dataset=DATASETS.build(cfg.train_dataloader.dataset))
    hook = NumClassesCheckHook()
    hook.before_train(SimpleNamespace(model=model, train_dataloader=loader))
    small = MODELS.build(_with_classes(model_cfg(), 5))
    with pytest.raises(ValueError, match='num_classes mismatch'):
        hook.before_train(SimpleNamespace(model=small,
                                          train_dataloader=loader))
