"""mmseg_uda.apis.model_builder: a config's model built as the Runner does.

The UDA leaf configs set ``data_preprocessor = dict(size_divisor=1)`` at
the top level; a tool that built ``cfg.model`` alone trained G with the
base preprocessor, and MMSeg's ``stack_batch`` asserted (found by the
benchmark suite on the full-size configs).
"""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

import mmseg_uda  # noqa: F401  registers the plugin's components
from mmseg_uda.apis import build_model_from_cfg, runner_model_cfg
from mmseg_uda.benchmark.speed import source_only_cfg

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
ADAPTSEGNET = osp.join(REPO, 'configs', 'adaptsegnet',
                       'deeplabv2_gta2city.py')
DEMO = osp.join(REPO, 'configs', 'demo', 'adaptsegnet_synthetic.py')


def test_runner_model_cfg_adds_the_top_level_preprocessor():
    cfg = Config.fromfile(ADAPTSEGNET)
    # the premise: the leaf sets it at the top level only
    assert 'size_divisor' not in cfg.model.segmentor.data_preprocessor
    model = runner_model_cfg(cfg)
    assert model.data_preprocessor.size_divisor == 1
    assert model.data_preprocessor.type == 'SegDataPreProcessor'
    # a copy: the config is unchanged
    assert 'data_preprocessor' not in cfg.model


def test_runner_model_cfg_keeps_the_models_own():
    cfg = Config(dict(model=dict(type='X',
                                 data_preprocessor=dict(size=(4, 4))),
                      data_preprocessor=dict(size_divisor=1)))
    assert runner_model_cfg(cfg).data_preprocessor == dict(size=(4, 4))
    assert runner_model_cfg(Config(dict(model=dict(type='X')))) == \
        dict(type='X')


def test_built_model_pads_a_training_batch_like_the_runner():
    cfg = Config.fromfile(DEMO)
    cfg.merge_from_dict({'model.segmentor.data_preprocessor.size_divisor':
                         None})
    model = build_model_from_cfg(cfg)
    assert model.data_preprocessor.size_divisor == 1
    samples = []
    for _ in range(2):
        sample = SegDataSample(gt_sem_seg=PixelData(
            data=torch.zeros(1, 8, 12, dtype=torch.long)))
        sample.set_metainfo(dict(img_shape=(8, 12), ori_shape=(8, 12)))
        samples.append(sample)
    batch = dict(inputs=[torch.randint(0, 255, (3, 8, 12),
                                       dtype=torch.uint8)] * 2,
                 data_samples=samples)
    # G's own preprocessor (size_divisor None) would assert here
    out = model.data_preprocessor(batch, True)
    assert out['inputs'].shape == (2, 3, 8, 12)


def test_source_only_cfg_takes_the_top_level_preprocessor():
    cfg = Config.fromfile(ADAPTSEGNET)
    plain = source_only_cfg(cfg)
    assert plain.model.type == 'EncoderDecoder'
    assert plain.model.data_preprocessor.size_divisor == 1
    assert plain.model.data_preprocessor.mean == \
        cfg.model.segmentor.data_preprocessor.mean
