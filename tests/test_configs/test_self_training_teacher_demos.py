"""DACS, DAFormer-style and MIC demo configs: a Runner run trains G
through the mixed / masked batches, and a resumed run equals an
uninterrupted one, the EMA teacher (weights and place on the alpha ramp),
the frozen feature-distance backbone and the rare-class draws included
(issue 21)."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from config_fixtures import tiny_run_cfg

DEMO = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'demo')
STOP, MAX_ITERS = 2, 4


def _cfg(name, tmp_path, work_dir, max_iters):
    cfg = tiny_run_cfg(Config.fromfile(osp.join(DEMO, name)), tmp_path,
                       max_iters=MAX_ITERS)
    cfg.train_cfg.update(max_iters=max_iters, val_interval=100)
    cfg.default_hooks.checkpoint.interval = 1
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.work_dir = str(work_dir)
    return cfg


def _checkpoint(work_dir, it):
    return torch.load(osp.join(str(work_dir), f'iter_{it}.pth'),
                      map_location='cpu',
                      weights_only=False)


@pytest.mark.parametrize('name, losses', [
    ('dacs_synthetic.py', ['class_mix.loss_mix_main']),
    ('daformer_synthetic.py', ['class_mix.loss_mix_main']),
    ('mic_synthetic.py', ['class_mix.loss_mix_main', 'mic.loss_mic_main']),
])
def test_resume_equals_uninterrupted_run(name, losses, tmp_path,
                                         monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    full_runner = Runner.from_cfg(
        _cfg(name, tmp_path / 'a', tmp_path / 'full', MAX_ITERS))
    full_runner.train()
    Runner.from_cfg(_cfg(name, tmp_path / 'b', tmp_path / 'part',
                         STOP)).train()
    cfg = _cfg(name, tmp_path / 'b', tmp_path / 'part', MAX_ITERS)
    cfg.resume = True
    resumed_runner = Runner.from_cfg(cfg)
    resumed_runner.train()

    full = _checkpoint(tmp_path / 'full', MAX_ITERS)
    part = _checkpoint(tmp_path / 'part', MAX_ITERS)
    # update 0 at the first prediction + one per step
    assert int(full['state_dict']['teacher.num_updates']) == MAX_ITERS + 1
    assert full['state_dict'].keys() == part['state_dict'].keys()
    for key, value in full['state_dict'].items():
        assert torch.equal(value, part['state_dict'][key]), key
    # the teacher differs from G: it is its own state, not an alias
    g_key = next(k for k in full['state_dict']
                 if k.startswith('segmentor.backbone.')
                 and k.endswith('weight'))
    assert not torch.equal(full['state_dict'][g_key],
                           full['state_dict']['teacher.model.' +
                                              g_key[len('segmentor.'):]])
    assert full['optimizer'].keys() == part['optimizer'].keys() == {
        'segmentor'
    }
    full_hub = full_runner.message_hub.log_scalars
    part_hub = resumed_runner.message_hub.log_scalars
    for key in ['train/loss', 'train/teacher.alpha'] + [
            f'train/{k}' for k in losses
    ]:
        got, want = part_hub[key].data[0], full_hub[key].data[0]
        assert len(want) == MAX_ITERS
        assert list(got) == list(want), key
    if name != 'dacs_synthetic.py':
        # rare class sampling picked the source images; the frozen copy of
        # the initial backbone is in the checkpoint
        assert full_runner.train_dataloader.dataset.source_sampling
        assert any(k.startswith('aligners.fd.imagenet_backbone.')
                   for k in full['state_dict'])
        # warm-up: the lr grows linearly from ~0 over the first iterations
        lrs = list(full_hub['train/segmentor.lr'].data[0])
        assert lrs[0] < 1e-7 and lrs == sorted(lrs)
    # alpha_n = min(1 - 1 / (n + 1), 0.99) for updates n = 1..4
    assert list(full_hub['train/teacher.alpha'].data[0]) == pytest.approx(
        [1 - 1 / (n + 1) for n in range(1, MAX_ITERS + 1)])
