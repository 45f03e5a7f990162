"""ChannelsLastHook / to_channels_last: layout, same numbers, resume.

CPU convolutions run in channels-last too (oneDNN), so a run with the
hook must train to the same weights as one without it, up to rounding.
"""
import os.path as osp

import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.runner import Runner

from config_fixtures import tiny_run_cfg
from mmseg_uda.engine.hooks import ChannelsLastHook, to_channels_last
from mmseg_uda.utils.checkpoint_loading import ENV_FLAG

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..'))
DEMO = osp.join(REPO, 'configs', 'demo', 'adaptsegnet_synthetic.py')
CL = torch.channels_last


def _weights_4d(model):
    return {k: v for k, v in model.state_dict().items() if v.dim() == 4}


def test_to_channels_last_keeps_parameters_and_outputs():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8),
                        nn.ReLU(), nn.Conv2d(8, 4, 1))
    x = torch.randn(2, 3, 10, 12)
    before = net(x)
    params = list(net.parameters())
    assert to_channels_last(net) is net
    # the same Parameter objects: an optimizer built earlier still holds them
    assert all(a is b for a, b in zip(params, net.parameters()))
    assert net[0].weight.is_contiguous(memory_format=CL)
    assert net[3].weight.is_contiguous(memory_format=CL)
    # 1-D tensors are untouched
    assert net[1].weight.is_contiguous()
    torch.testing.assert_close(net(x), before, rtol=1e-5, atol=1e-5)


def _run(tmp_path, name, max_iters, channels_last, resume_from=None):
    cfg = tiny_run_cfg(Config.fromfile(DEMO), tmp_path / name, max_iters)
    cfg.randomness = dict(seed=0)
    if channels_last:
        cfg.custom_hooks = list(cfg.get('custom_hooks') or []) + [
            dict(type='ChannelsLastHook')
        ]
    if resume_from is not None:
        cfg.resume = True
        cfg.load_from = resume_from
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner


def test_training_with_the_hook_matches_and_resumes(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_FLAG, '1')  # what tools/train.py allows (resume)
    plain = _run(tmp_path, 'plain', 2, channels_last=False)
    nhwc = _run(tmp_path, 'nhwc', 2, channels_last=True)
    assert any(isinstance(h, ChannelsLastHook) for h in nhwc.hooks)

    plain_w, nhwc_w = _weights_4d(plain.model), _weights_4d(nhwc.model)
    # G's convolutions and the discriminators'
    assert any(k.startswith('segmentor.') for k in nhwc_w)
    assert any(k.startswith('aligners.') for k in nhwc_w)
    # the premise: without the hook the kernels are NCHW (a 1x1 kernel,
    # or a single-channel one, is contiguous in both layouts)
    assert sum(not v.is_contiguous(memory_format=CL)
               for v in plain_w.values()) > len(plain_w) // 2
    for key, value in nhwc_w.items():
        assert value.is_contiguous(memory_format=CL), key
        torch.testing.assert_close(value, plain_w[key], rtol=1e-4,
                                   atol=1e-5, msg=key)

    first = _run(tmp_path, 'part', 1, channels_last=True)
    ckpt = osp.join(first.work_dir, 'iter_1.pth')
    resumed = _run(tmp_path, 'part', 2, channels_last=True,
                   resume_from=ckpt)
    assert resumed.iter == 2
    for key, value in _weights_4d(resumed.model).items():
        # resume loads NCHW tensors, before_train converts them again
        assert value.is_contiguous(memory_format=CL), key
        torch.testing.assert_close(value, nhwc_w[key], rtol=1e-4,
                                   atol=1e-5, msg=key)
    # the resumed momentum buffers were used (weights equal the
    # uninterrupted run's above); they are restored in the saved layout
    state = resumed.optim_wrapper['segmentor'].optimizer.state
    bufs = [s['momentum_buffer'] for s in state.values()
            if s.get('momentum_buffer') is not None
            and s['momentum_buffer'].dim() == 4]
    assert bufs and all(b.is_contiguous(memory_format=CL) for b in bufs)


def test_registered_and_first_in_before_train():
    from mmseg.registry import HOOKS
    hook = HOOKS.build(dict(type='ChannelsLastHook'))
    assert isinstance(hook, ChannelsLastHook)
    # before PseudoLabelHook snapshots the initial weights (NORMAL)
    assert hook.priority == 'VERY_HIGH'
