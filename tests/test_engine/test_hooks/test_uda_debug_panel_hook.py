"""UDADebugPanelHook on the demo configs: the grid's columns per method,
its size, the files it writes, and that drawing it changes nothing in
the run (issue 22)."""
import os.path as osp

import cv2
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from config_fixtures import tiny_run_cfg

DEMO = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs', 'demo')
BASE = ['image', 'label', 'prediction']


def _cfg(name, tmp_path, panels=True, max_iters=2):
    cfg = tiny_run_cfg(Config.fromfile(osp.join(DEMO, name)), tmp_path,
                       max_iters=max_iters)
    cfg.train_cfg.update(val_interval=100)
    cfg.randomness = dict(seed=0, deterministic=True)
    # the visualizer is a process-wide instance by name: one per run, so
    # each run writes under its own work dir
    cfg.visualizer.name = f'panels_{tmp_path}'
    if panels:
        cfg.default_hooks.debug_panels = dict(type='UDADebugPanelHook',
                                              interval=1,
                                              num_samples=2,
                                              cell_width=64)
    return cfg


def _hook(runner):
    return next(h for h in runner.hooks
                if type(h).__name__ == 'UDADebugPanelHook')


@pytest.mark.parametrize('name, source, target', [
    ('globallocal_synthetic.py', BASE + [
        'output_adv: D_main P(target)'
    ], BASE[:1] + BASE[2:] + ['output_adv: D_main P(target)']),
    ('advent_synthetic.py', BASE, BASE[:1] + BASE[2:] +
     ['output_adv: D_main P(target)', 'output_adv: D_aux P(target)']),
    ('dacs_synthetic.py', BASE, BASE[:1] + BASE[2:] + [
        'teacher confidence', 'class_mix: pseudo label (p >= 0.968)',
        'class_mix: ClassMix image', 'class_mix: ClassMix mask (source)',
        'class_mix: ClassMix label'
    ]),
    ('ldr_synthetic.py', BASE, BASE[:1] + BASE[2:]),
])
def test_panel_columns_size_and_files(name, source, target, tmp_path):
    runner = Runner.from_cfg(_cfg(name, tmp_path))
    runner.train()
    hook = _hook(runner)
    assert hook.layout['source'][:len(source)] == source
    assert hook.layout['target'][:len(target)] == target

    files = [
        osp.join(runner.log_dir, 'vis_data', 'vis_image',
                 f'uda_debug_panel_{step}.png') for step in (1, 2)
    ]
    assert all(osp.isfile(f) for f in files)
    panel = cv2.imread(files[1])
    columns = max(len(c) for c in hook.layout.values())
    assert panel.shape[1] == 64 * columns
    # two sample rows per domain, each a cell of the input's aspect ratio
    assert panel.shape[0] > 2 * 2 * 64 * 32 // 64


def test_ldr_panel_shows_the_reconstructions(tmp_path):
    runner = Runner.from_cfg(_cfg('ldr_synthetic.py', tmp_path))
    runner.train()
    layout = _hook(runner).layout
    names = layout['source'] + layout['target']
    rec = [n for n in names if 'reconstruction from labels' in n]
    assert rec, names


def test_mic_panel_shows_the_masked_image(tmp_path):
    runner = Runner.from_cfg(_cfg('mic_synthetic.py', tmp_path,
                                  max_iters=1))
    runner.train()
    target = _hook(runner).layout['target']
    assert 'mic: MIC masked image' in target
    assert 'mic: MIC prediction' in target


def test_panels_leave_the_training_unchanged(tmp_path):
    states = []
    for panels in (True, False):
        runner = Runner.from_cfg(
            _cfg('dacs_synthetic.py', tmp_path / str(panels), panels))
        runner.train()
        states.append(runner.model.state_dict())
    assert states[0].keys() == states[1].keys()
    for key in states[0]:
        assert torch.equal(states[0][key], states[1][key]), key


def test_a_model_without_debug_maps_is_skipped(tmp_path):
    runner = Runner.from_cfg(_cfg('source_only_synthetic.py', tmp_path))
    runner.train()
    assert _hook(runner).layout is None
