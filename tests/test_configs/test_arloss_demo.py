"""configs/demo/arloss_synthetic.py: the AR loss inside a decode head.

A tiny DeepLab-v2 whose main head has ``loss_decode=[CE, AR]`` trains in a
Runner, logs ``decode.loss_ar``, sends the AR gradient into the main head and
the backbone only, and a resumed run equals an uninterrupted one.
"""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmengine.structures import PixelData

from config_fixtures import tiny_run_cfg
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

CONFIG = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'demo',
                  'arloss_synthetic.py')
BASELINE = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'demo',
                    'oracle_synthetic.py')


def test_demo_is_the_oracle_plus_the_loss():
    cfg, base = Config.fromfile(CONFIG), Config.fromfile(BASELINE)
    ce, ar = cfg.model.decode_head.loss_decode
    assert ce == base.model.decode_head.loss_decode
    assert ar.type == 'AffinityRegressionLoss' and ar.loss_weight == 0.1
    assert cfg.train_dataloader == base.train_dataloader
    cfg.model.decode_head.loss_decode = base.model.decode_head.loss_decode
    assert cfg.model == base.model


def test_runner_logs_decode_loss_ar(tmp_path):
    cfg = tiny_run_cfg(Config.fromfile(CONFIG), tmp_path, max_iters=3)
    cfg.train_dataloader.batch_size = 2
    runner = Runner.from_cfg(cfg)
    runner.train()
    scalars = runner.message_hub.log_scalars
    ar = scalars['train/decode.loss_ar']
    values = [float(v) for v in ar.data[0]]
    assert len(values) == 3 and all(0 < v < 0.1 for v in values)
    # the total is the sum of the head losses, the AR term included
    assert 'train/decode.loss_ce' in scalars and 'val/mIoU' in scalars


def _batch(num_classes=19):
    torch.manual_seed(0)
    inputs = torch.randn(2, 3, 32, 48)
    samples = []
    for _ in range(2):
        label = torch.randint(0, num_classes, (1, 32, 48))
        label[:, :4] = 255
        sample = SegDataSample(gt_sem_seg=PixelData(data=label))
        sample.set_metainfo(dict(img_shape=(32, 48), pad_shape=(32, 48),
                                 ori_shape=(32, 48)))
        samples.append(sample)
    return inputs, samples


def test_ar_gradient_reaches_main_head_and_backbone_only():
    init_default_scope('mmseg')
    cfg = Config.fromfile(CONFIG)
    model = MODELS.build(cfg.model)
    model.train()
    inputs, samples = _batch()
    losses = model.loss(inputs, samples)
    assert losses['decode.loss_ar'].dtype == torch.float32
    losses['decode.loss_ar'].backward()

    def grad_norm(module):
        return sum(
            float(p.grad.abs().sum()) for p in module.parameters()
            if p.grad is not None)

    assert grad_norm(model.decode_head) > 0
    assert grad_norm(model.backbone) > 0
    assert grad_norm(model.auxiliary_head) == 0


def _demo_cfg(tmp_path, work_dir, max_iters):
    cfg = tiny_run_cfg(Config.fromfile(CONFIG), tmp_path, max_iters=4)
    cfg.train_dataloader.batch_size = 2
    cfg.train_cfg.update(max_iters=max_iters, val_interval=100)
    cfg.default_hooks.checkpoint.interval = 1
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.work_dir = str(work_dir)
    return cfg


def _final_state(work_dir, it):
    ckpt = torch.load(osp.join(str(work_dir), f'iter_{it}.pth'),
                      map_location='cpu',
                      weights_only=False)
    return ckpt['state_dict'], ckpt['optimizer'], ckpt['message_hub']


def test_resume_equals_uninterrupted_run(tmp_path, monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    full_dir, part_dir = tmp_path / 'full', tmp_path / 'part'
    Runner.from_cfg(_demo_cfg(tmp_path / 'a', full_dir, 4)).train()
    Runner.from_cfg(_demo_cfg(tmp_path / 'b', part_dir, 2)).train()
    cfg = _demo_cfg(tmp_path / 'b', part_dir, 4)
    cfg.resume = True
    Runner.from_cfg(cfg).train()

    full, full_optim, full_hub = _final_state(full_dir, 4)
    part, part_optim, part_hub = _final_state(part_dir, 4)
    assert full.keys() == part.keys()
    for key in full:
        assert torch.equal(full[key], part[key]), key
    for pid, state in full_optim['state'].items():
        for k, v in state.items():
            if torch.is_tensor(v):
                assert torch.equal(v, part_optim['state'][pid][k]), (pid, k)
    # the logged AR losses of iterations 3 and 4 agree as well
    key = 'train/decode.loss_ar'
    full_ar = full_hub['log_scalars'][key].data[0][-2:]
    part_ar = part_hub['log_scalars'][key].data[0][-2:]
    assert list(full_ar) == list(part_ar)
