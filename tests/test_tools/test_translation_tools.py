"""tools/train_translation.py and tools/translate_images.py end to end.

The demo CycleGAN config (narrowed, two iterations on tiny fixtures) is
trained by the training tool, and its checkpoint translates a tiny
synthetic benchmark (mmseg_uda.benchmark.synthetic_shift) with the
translation tool, as in the LDR demo pipeline.
"""
import importlib.util
import os
import os.path as osp

import cv2
import pytest
from mmengine.config import Config

from config_fixtures import tiny_run_cfg
from mmseg_uda.benchmark.synthetic_shift import generate_synthetic_shift
from mmseg_uda.utils import for_each_dict

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
DEMO = osp.join(REPO, 'configs', 'demo', 'translation_synthetic.py')


def _tool(name):
    spec = importlib.util.spec_from_file_location(
        f'_tool_{name}', osp.join(REPO, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(root):
    return sorted(
        osp.relpath(osp.join(r, n), root) for r, _, names in os.walk(root)
        for n in names)


def test_train_then_translate_the_target_set(tmp_path, monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    # the tools set it themselves; setenv first so that it is undone
    monkeypatch.setenv(ENV_FLAG, '1')
    monkeypatch.delenv(ENV_FLAG)
    cfg = tiny_run_cfg(Config.fromfile(DEMO), tmp_path / 'data', 2)

    def fix(node):
        if node.get('type') == 'RandomCrop':
            node['crop_size'] = (32, 32)
    for_each_dict(cfg._cfg_dict, fix)
    cfg.model.generator.update(base_channels=8, num_blocks=1)
    cfg.model.discriminator.base_channels = 8
    config = str(tmp_path / 'cyclegan_tiny.py')
    cfg.dump(config)
    work_dir = str(tmp_path / 'work')

    _tool('train_translation').main([config, '--work-dir', work_dir])
    ckpt = osp.join(work_dir, 'iter_2.pth')
    assert osp.isfile(ckpt)

    root = str(tmp_path / 'synthetic_shift')
    generate_synthetic_shift(root, num_source=1, num_target_train=2,
                             num_target_val=1, source_size=(48, 32),
                             target_size=(40, 34), show_progress=False)
    src = osp.join(root, 'target', 'leftImg8bit')
    out = osp.join(root, 'target_t2s', 'leftImg8bit')
    translate = _tool('translate_images').main
    args = [config, ckpt, '--src', src, '--out', out, '--device', 'cpu',
            '--no-progress']
    assert translate(args) == dict(total=3, translated=3, skipped=0)
    # the target layout and names, images only, input resolution
    assert _files(out) == _files(src) == [
        'train/synthcity/synthcity_000000_000000_leftImg8bit.png',
        'train/synthcity/synthcity_000001_000000_leftImg8bit.png',
        'val/synthcity/synthcity_000000_000000_leftImg8bit.png'
    ]
    assert not osp.exists(osp.join(root, 'target_t2s', 'gtFine'))
    for rel in _files(out):
        assert cv2.imread(osp.join(out, rel)).shape == (34, 40, 3)
    # the LDR target dataset reads it by changing only data_root
    from mmseg.registry import DATASETS
    dataset = DATASETS.build(
        dict(type='CityscapesDataset',
             data_root=osp.join(root, 'target_t2s'),
             data_prefix=dict(img_path='leftImg8bit/train'),
             pipeline=[]))
    assert [osp.basename(d['img_path']) for d in dataset] == [
        osp.basename(f) for f in _files(out) if f.startswith('train')
    ]
    # rerun: nothing left to do
    assert translate(args) == dict(total=3, translated=0, skipped=3)
    # a configured size: run at 20x16, written back at 40x34
    out_b = str(tmp_path / 'b')
    translate(args[:4] + ['--out', out_b, '--direction', 'b', '--size', '20',
                          '16', '--no-progress'])
    assert cv2.imread(osp.join(out_b, _files(out)[0])).shape == (34, 40, 3)


def test_training_tool_refuses_segmentation_configs(tmp_path):
    seg = osp.join(REPO, 'configs', 'demo', 'source_only_synthetic.py')
    with pytest.raises(ValueError, match='not a translation model'):
        _tool('train_translation').main(
            [seg, '--work-dir', str(tmp_path / 'w')])
    assert not osp.exists(tmp_path / 'w')
