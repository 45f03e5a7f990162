"""The AR-loss configs (configs/arloss) build and train on tiny fixtures.

On top of ``tiny_run_cfg`` (which does not know NYUv2, random rescales or
``load_from``) the NYUv2 data root points at a tiny NYUv2 fixture, random
rescales and crops shrink, and the batch holds two images: PSPNet's and
ICNet's 1x1 pyramid pooling normalises over the batch, which BN cannot do
with a single 1x1 feature in training.
"""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from config_fixtures import tiny_run_cfg
from fake_datasets import make_nyuv2
from mmseg.registry import HOOKS, MODELS
from mmseg_uda.utils import for_each_dict

CONFIG_DIR = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'arloss')
BASELINES = [
    'pspnet_r101-d8_2xb3-26k_nyuv2-480x480.py',
    'icnet_r50-d8_4xb2-80k_cityscapes-832x832.py',
]
WITH_LOSS = [
    'pspnet_r101-d8_2xb3-26k_nyuv2-480x480_arloss.py',
    'icnet_r50-d8_4xb2-80k_cityscapes-832x832_arloss.py',
]
FINE_TUNE = {
    'pspnet_r101-d8_2xb3-arloss-ft-6.6k_nyuv2-480x480.py': BASELINES[0],
    'icnet_r50-d8_4xb2-arloss-ft-20k_cityscapes-832x832.py': BASELINES[1],
}
TINY_CROP = (32, 32)


def tiny_arloss_cfg(name, tmp_path, max_iters=1):
    cfg = tiny_run_cfg(Config.fromfile(osp.join(CONFIG_DIR, name)),
                       tmp_path, max_iters)
    nyu_root = make_nyuv2(tmp_path / 'nyu', n=2)

    def fix(node):
        if node.get('type') == 'NYUv2Dataset':
            node['data_root'] = nyu_root
        if node.get('type') == 'RandomResize':
            node['scale'] = (64, 48)
        if node.get('type') == 'RandomCrop':
            node['crop_size'] = TINY_CROP
        if node.get('type') == 'Resize' and 'scale' in node:
            node['scale'] = (64, 48)

    for_each_dict(cfg._cfg_dict, fix)
    cfg.model.data_preprocessor.size = TINY_CROP
    cfg.train_dataloader.batch_size = 2
    cfg.load_from = None
    return cfg


def test_all_arloss_configs_are_tested():
    names = {osp.basename(p) for p in glob.glob(osp.join(CONFIG_DIR, '*'))}
    assert names == set(BASELINES) | set(WITH_LOSS) | set(FINE_TUNE)


def _ar_entries(cfg):
    losses = cfg.model.decode_head.loss_decode
    losses = losses if isinstance(losses, list) else [losses]
    return [d for d in losses if d['type'] == 'AffinityRegressionLoss']


@pytest.mark.parametrize('name', BASELINES + WITH_LOSS)
def test_config_trains_one_iteration(name, tmp_path):
    cfg = tiny_arloss_cfg(name, tmp_path)
    with_loss = name in WITH_LOSS
    # the AR variant is the baseline plus one loss on the main head only
    assert len(_ar_entries(cfg)) == int(with_loss)
    aux = cfg.model.auxiliary_head
    for head in aux if isinstance(aux, list) else [aux]:
        assert head.loss_decode['type'] == 'CrossEntropyLoss'

    runner = Runner.from_cfg(cfg)
    runner.train()

    scalars = runner.message_hub.log_scalars
    assert 'val/mIoU' in scalars
    assert ('train/decode.loss_ar' in scalars) == with_loss
    loss = float(scalars['train/loss'].current())
    assert loss == loss  # not NaN
    if with_loss:
        assert float(scalars['train/decode.loss_ar'].current()) > 0


@HOOKS.register_module(force=True)
class InitialWeightsProbeHook(Hook):
    """Keeps a copy of the weights the run starts from (after load_from)."""
    state = None

    def before_train(self, runner):
        type(self).state = {
            k: v.detach().clone()
            for k, v in runner.model.state_dict().items()
        }


@pytest.mark.parametrize('fine_tune', sorted(FINE_TUNE))
def test_fine_tune_recipe_continues_from_the_baseline(
        fine_tune, tmp_path, monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')  # load_from reads a full checkpoint
    baseline = FINE_TUNE[fine_tune]
    raw = Config.fromfile(osp.join(CONFIG_DIR, fine_tune))
    base_raw = Config.fromfile(osp.join(CONFIG_DIR, baseline))
    # load_from names the baseline's final checkpoint in its default
    # work_dir (tools/train.py: work_dirs/<config name>)
    stem = osp.splitext(baseline)[0]
    assert raw.load_from == (f'work_dirs/{stem}/'
                             f'iter_{base_raw.train_cfg.max_iters}.pth')
    assert len(_ar_entries(raw)) == 1
    # shorter schedule at a lower lr, no ImageNet init on top of the load
    assert raw.train_cfg.max_iters < base_raw.train_cfg.max_iters
    assert raw.optim_wrapper.optimizer.lr < \
        base_raw.optim_wrapper.optimizer.lr
    assert raw.param_scheduler[0]['end'] == raw.train_cfg.max_iters

    base_cfg = tiny_arloss_cfg(baseline, tmp_path / 'base')
    Runner.from_cfg(base_cfg).train()
    ckpt = osp.join(base_cfg.work_dir, 'iter_1.pth')

    cfg = tiny_arloss_cfg(fine_tune, tmp_path / 'ft')
    cfg.load_from = ckpt
    cfg.custom_hooks = [dict(type='InitialWeightsProbeHook')]
    InitialWeightsProbeHook.state = None
    runner = Runner.from_cfg(cfg)
    runner.train()

    trained = torch.load(ckpt, map_location='cpu',
                         weights_only=False)['state_dict']
    start = InitialWeightsProbeHook.state
    assert start.keys() == trained.keys()
    for key in trained:
        assert torch.equal(start[key], trained[key]), key
    assert 'train/decode.loss_ar' in runner.message_hub.log_scalars


# ------------------------------------------------- multi-scale testing ---
# PSPNet's multi-scale test, which the AR-loss paper follows (4.2).
PAPER_RATIOS = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75]
TEST_TOOL = osp.join(CONFIG_DIR, '..', '..', 'tools', 'test.py')


def _tta_steps(cfg):
    load, tta = cfg.tta_pipeline
    assert load['type'] == 'LoadImageFromFile'
    assert tta['type'] == 'TestTimeAug'
    return tta['transforms']


@pytest.mark.parametrize('name', BASELINES + WITH_LOSS + sorted(FINE_TUNE))
def test_config_has_multi_scale_flip_tta(name):
    cfg = Config.fromfile(osp.join(CONFIG_DIR, name))
    assert cfg.tta_model['type'] == 'SegTTAModel'
    assert cfg.img_ratios == PAPER_RATIOS
    resizes, flips, *label_steps = _tta_steps(cfg)

    # ratios of the single-scale test size: ratio 1.0 is the plain test
    test_resize, = [t for t in cfg.test_pipeline if t['type'] == 'Resize']
    w, h = test_resize['scale']
    assert [(t['type'], t['keep_ratio']) for t in resizes] == \
        [('Resize', True)] * len(PAPER_RATIOS)
    assert [t['scale'] for t in resizes] == \
        [(round(w * r), round(h * r)) for r in PAPER_RATIOS]

    assert [(t['type'], t['prob'], t['direction']) for t in flips] == \
        [('RandomFlip', 0., 'horizontal'), ('RandomFlip', 1., 'horizontal')]

    # the label is loaded (and checked) as in the single-scale test, after
    # the resize: both score predictions at the label's own resolution
    after_resize = cfg.test_pipeline[cfg.test_pipeline.index(test_resize) +
                                     1:]
    assert all(len(step) == 1 for step in label_steps)
    assert [step[0] for step in label_steps] == after_resize


# ICNet's quarter-resolution branch (1/32 overall) needs the smallest view
# at least as large as the tiny training runs' 64x48.
@pytest.mark.parametrize('name, test_size', [(BASELINES[0], (32, 24)),
                                             (WITH_LOSS[1], (128, 96))])
def test_tools_test_tta_end_to_end(name, test_size, tmp_path):
    cfg = tiny_arloss_cfg(name, tmp_path)
    # keep all six ratios and both flips, at a tiny test size
    resizes = _tta_steps(cfg)[0]
    for resize, ratio in zip(resizes, cfg.img_ratios):
        resize['scale'] = (round(test_size[0] * ratio),
                           round(test_size[1] * ratio))
    cfg_file = tmp_path / 'tiny_cfg.py'
    cfg.dump(str(cfg_file))

    # a fresh model's weights: the test is about the pipeline, not scores
    init_default_scope('mmseg')
    ckpt = tmp_path / 'model.pth'
    torch.save(dict(meta=dict(),
                    state_dict=MODELS.build(cfg.model).state_dict()),
               str(ckpt))

    preds, work = tmp_path / 'preds', tmp_path / 'test_work'
    env = dict(os.environ, PYTHONWARNINGS='ignore', OMP_NUM_THREADS='1')
    proc = subprocess.run([
        sys.executable, TEST_TOOL,
        str(cfg_file),
        str(ckpt), '--tta', '--out',
        str(preds), '--work-dir',
        str(work)
    ],
                          cwd=str(tmp_path),
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    assert 'SegTTAModel' in output and 'mIoU' in output

    metric_files = glob.glob(str(work / '*' / '*.json'))
    assert len(metric_files) == 1
    with open(metric_files[0]) as f:
        metrics = json.load(f)
    assert 0 <= metrics['mIoU'] <= 100
    # merged predictions come back at the label's resolution
    dataset = cfg.test_dataloader.dataset
    label_dir = osp.join(dataset.data_root, dataset.data_prefix.seg_map_path)
    labels = sorted(glob.glob(osp.join(label_dir, '**', '*.png'),
                              recursive=True))
    pngs = sorted(glob.glob(str(preds / '**' / '*.png'), recursive=True))
    assert labels and len(pngs) == len(labels)
    for pred_path, label_path in zip(pngs, labels):
        pred = cv2.imread(pred_path, cv2.IMREAD_UNCHANGED)
        label = cv2.imread(label_path, cv2.IMREAD_UNCHANGED)
        assert pred.shape == label.shape
