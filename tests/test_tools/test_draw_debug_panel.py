"""tools/analysis/draw_debug_panel.py on a demo checkpoint: the PNG, and
the aligners of the checkpoint's stage (GL: output-space D, then the
pixel-level D)."""
import os.path as osp

import cv2
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from config_fixtures import tiny_run_cfg
from tool_loading import load_tool

ROOT = osp.join(osp.dirname(__file__), '..', '..')


def _tool():
    return load_tool('analysis/draw_debug_panel.py')


@pytest.mark.parametrize('iteration, column', [
    (1, 'output_adv: D_main P(target)'),
    (1000, 'local_adv: local D P(target)'),
])
def test_panel_of_a_checkpoint_in_its_stage(iteration, column, tmp_path,
                                            capsys):
    init_default_scope('mmseg')
    cfg = tiny_run_cfg(
        Config.fromfile(
            osp.join(ROOT, 'configs', 'demo', 'globallocal_synthetic.py')),
        tmp_path)
    cfg_path = str(tmp_path / 'cfg.py')
    cfg.dump(cfg_path)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    ckpt = str(tmp_path / 'model.pth')
    torch.save(dict(state_dict=model.state_dict(), meta=dict(iter=iteration)),
               ckpt)
    out = str(tmp_path / 'panel.png')
    assert _tool().main([
        cfg_path, ckpt, '--out', out, '--cell-width', '64', '--work-dir',
        str(tmp_path / 'log')
    ]) == 0
    printed = capsys.readouterr().out
    assert column in printed
    panel = cv2.imread(out)
    assert panel is not None and panel.shape[1] == 64 * 4
