"""Interop (issue 8): a trained UDA checkpoint, exported, runs in MMSeg's
own inference API with a plain MMSeg config of the same network."""
import glob
import importlib.util
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

import mmseg_uda  # noqa: F401,I001  (mmcv-lite shim before mmseg)
from config_fixtures import tiny_run_cfg
from mmseg.apis import inference_model, init_model
from mmseg_uda.utils.checkpoint_loading import ENV_FLAG

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
DEMO = osp.join(REPO, 'configs', 'demo')


def _export_tool():
    spec = importlib.util.spec_from_file_location(
        'export_segmentor', osp.join(REPO, 'tools', 'export_segmentor.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_exported_uda_checkpoint_runs_in_mmseg_inference_api(
        tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_FLAG, '1')  # the Runner checkpoint (tools do it)
    cfg = tiny_run_cfg(
        Config.fromfile(osp.join(DEMO, 'adaptsegnet_synthetic.py')),
        tmp_path, max_iters=2)
    runner = Runner.from_cfg(cfg)
    runner.train()
    uda_ckpt = osp.join(cfg.work_dir, 'iter_2.pth')
    plain_ckpt = str(tmp_path / 'plain.pth')
    _export_tool().main([uda_ckpt, plain_ckpt])

    # MMSeg's API, torch's default weights-only loading, a plain config
    monkeypatch.delenv(ENV_FLAG)
    plain_cfg = tiny_run_cfg(
        Config.fromfile(osp.join(DEMO, 'source_only_synthetic.py')),
        tmp_path / 'plain')
    model = init_model(plain_cfg, plain_ckpt, device='cpu')
    assert type(model).__name__ == 'EncoderDecoder'
    image = sorted(
        glob.glob(str(tmp_path / 'city' / 'leftImg8bit' / 'val' / '*' /
                      '*.png')))[0]
    result = inference_model(model, image)
    pred = result.pred_sem_seg.data
    assert pred.shape[-2:] == result.seg_logits.data.shape[-2:]

    # the same prediction as the trained UDA model's own segmentor
    g = runner.model.segmentor
    g.eval()
    g.cfg = model.cfg  # inference_model reads the test pipeline from it
    expected = inference_model(g, image)
    torch.testing.assert_close(result.seg_logits.data,
                               expected.seg_logits.data)
    assert torch.equal(pred, expected.pred_sem_seg.data)


@pytest.mark.parametrize('demo', [
    'globallocal_synthetic.py', 'sim_synthetic.py', 'ldr_synthetic.py'
])
def test_export_writes_a_plain_config_init_model_runs(demo, tmp_path,
                                                      monkeypatch):
    """The exported weights + the written plain config are all
    ``init_model`` needs; predictions equal the trained G's."""
    monkeypatch.setenv(ENV_FLAG, '1')
    cfg = tiny_run_cfg(Config.fromfile(osp.join(DEMO, demo)), tmp_path)
    runner = Runner.from_cfg(cfg)
    runner.train()
    train_cfg = str(tmp_path / 'train_config.py')
    cfg.dump(train_cfg)
    plain_ckpt = str(tmp_path / 'export' / 'g.pth')
    _export_tool().main([
        osp.join(cfg.work_dir, 'iter_1.pth'), plain_ckpt, '--config',
        train_cfg
    ])
    plain_cfg = str(tmp_path / 'export' / 'g.py')
    text = open(plain_cfg).read()
    # our DeepLab-v2 parts need the plugin; no init checkpoint is loaded
    assert Config.fromfile(plain_cfg).custom_imports.imports == ['mmseg_uda']
    assert 'UDASegmentor' not in text and 'Pretrained' not in text

    monkeypatch.delenv(ENV_FLAG)
    model = init_model(plain_cfg, plain_ckpt, device='cpu')
    image = sorted(
        glob.glob(str(tmp_path / 'city' / 'leftImg8bit' / 'val' / '*' /
                      '*.png')))[0]
    result = inference_model(model, image)
    g = runner.model.segmentor
    g.eval()
    g.cfg = model.cfg
    expected = inference_model(g, image)
    torch.testing.assert_close(result.seg_logits.data,
                               expected.seg_logits.data)


def test_plain_config_of_a_non_uda_config_is_refused(tmp_path):
    cfg = Config.fromfile(osp.join(DEMO, 'source_only_synthetic.py'))
    with pytest.raises(KeyError, match='segmentor'):
        _export_tool().plain_config(cfg)
    # --prefix '' exports a plain segmentor config as it is
    assert _export_tool().plain_config(cfg, prefix='')['model'][
        'type'] == 'EncoderDecoder'
