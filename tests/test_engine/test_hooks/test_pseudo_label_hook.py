"""PseudoLabelHook: settings and the labelled dataset config (the restart
of training: tests/test_engine/test_initial_weights.py).

The boundary itself (generation, data switch, resume) runs in
tests/test_configs/test_selftraining_demo.py with a real Runner.
"""
from types import SimpleNamespace

import pytest
from mmengine.config import ConfigDict

from mmseg_uda.engine.hooks import PseudoLabelHook


def test_settings_are_checked():
    with pytest.raises(ValueError, match='exactly one'):
        PseudoLabelHook()
    with pytest.raises(ValueError, match='exactly one'):
        PseudoLabelHook(at_iter=3, stage='self_training')
    with pytest.raises(ValueError, match='at_iter'):
        PseudoLabelHook(at_iter=-1)
    with pytest.raises(ValueError, match='reinit'):
        PseudoLabelHook(at_iter=3, reinit='discriminator')
    with pytest.raises(ValueError, match='cap'):
        PseudoLabelHook(at_iter=3, cap=1.5)


def _runner(tmp_path, target):
    cfg = ConfigDict(train_dataloader=dict(dataset=dict(type='UDADataset',
                                                        target=target)))
    return SimpleNamespace(cfg=cfg, work_dir=str(tmp_path), hooks=[])


def test_labelled_dataset_cfg_points_at_the_labels(tmp_path):
    target = dict(type='CityscapesDataset',
                  data_root='data/city',
                  data_prefix=dict(img_path='leftImg8bit/train'),
                  pipeline=[dict(type='LoadImageFromFile')])
    pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')]
    hook = PseudoLabelHook(at_iter=5, target_dataset=dict(pipeline=pipeline),
                           suffix='_pl.png')
    runner = _runner(tmp_path, target)
    hook._resolve(runner)
    cfg = hook.labelled_dataset_cfg(runner)
    assert cfg['data_prefix'] == dict(img_path='leftImg8bit/train',
                                      seg_map_path=str(tmp_path /
                                                       'pseudo_labels'))
    assert cfg['seg_map_suffix'] == '_pl.png'
    assert cfg['pipeline'] == pipeline and cfg['data_root'] == 'data/city'
    # the config of the run is not modified
    assert 'seg_map_path' not in runner.cfg.train_dataloader.dataset.target[
        'data_prefix']

    no_labels = PseudoLabelHook(at_iter=5)
    no_labels._resolve(runner)
    with pytest.raises(ValueError, match='LoadAnnotations'):
        no_labels.labelled_dataset_cfg(runner)


def test_stage_name_gives_the_boundary(tmp_path):
    from mmseg_uda.engine.hooks import UDAStageHook
    stages = UDAStageHook(stages=[dict(name='adapt', iters=7),
                                  dict(name='self_training', iters=3)])
    runner = _runner(tmp_path, dict(type='X'))
    hook = PseudoLabelHook(stage='self_training')
    with pytest.raises(ValueError, match='UDAStageHook'):
        hook._resolve(runner)
    runner.hooks = [stages]
    hook._resolve(runner)
    assert hook.at_iter == 7
    with pytest.raises(KeyError, match='nope'):
        PseudoLabelHook(stage='nope')._resolve(runner)
