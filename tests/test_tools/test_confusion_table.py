import json
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from config_fixtures import tiny_run_cfg

ROOT = osp.join(osp.dirname(__file__), '..', '..')


def _tool():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'confusion_table',
        osp.join(ROOT, 'tools', 'analysis', 'confusion_table.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_top_confusions_by_hand():
    conf = np.array([[6, 3, 1], [0, 0, 0], [2, 0, 2]])
    rows = _tool().top_confusions(conf, ['a', 'b', 'c'], top=2)
    # class b has no pixels; ties keep the class order
    assert rows == {'a': [('a', 0.6), ('b', 0.3)], 'c': [('a', 0.5),
                                                         ('c', 0.5)]}


def test_cli_on_a_uda_demo_checkpoint(tmp_path, capsys):
    init_default_scope('mmseg')
    cfg = tiny_run_cfg(
        Config.fromfile(osp.join(ROOT, 'configs', 'demo',
                                 'dacs_synthetic.py')), tmp_path)
    cfg_path = str(tmp_path / 'cfg.py')
    cfg.dump(cfg_path)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    ckpt = str(tmp_path / 'model.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    out = str(tmp_path / 'conf.json')
    assert _tool().main([cfg_path, ckpt, '--teacher', '--out', out]) == 0
    printed = capsys.readouterr().out
    assert 'true class' in printed and 'predicted as' in printed
    saved = json.load(open(out))
    conf = np.array(saved['confusion'])
    assert conf.shape == (19, 19) and conf.sum() > 0
    assert len(saved['classes']) == 19
