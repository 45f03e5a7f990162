"""The CycleGAN demo config (LDR step 1) as a Runner job on tiny data.

The config keeps its networks, losses, optimizers and hooks; the images are
tiny fixtures resized to 64x32 and cropped to 32x32, the pools hold two
images (so that they are full, and draw at random, before the resume
point) and the lr decays over iterations 1-3 of four.
"""
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from config_fixtures import tiny_run_cfg
from mmseg_uda.utils import for_each_dict

DEMO = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'demo',
                'translation_synthetic.py')
LR = 2e-4


def demo_cfg(tmp_path, work_dir, max_iters, decay=(1, 4)):
    cfg = tiny_run_cfg(Config.fromfile(DEMO), tmp_path, max_iters=max_iters)

    def fix(node):
        if node.get('type') == 'RandomCrop':
            node['crop_size'] = (32, 32)
    for_each_dict(cfg._cfg_dict, fix)
    cfg.model.pool_size = 2
    for key in ('generators', 'discriminators'):
        cfg.param_scheduler[key][0].update(begin=decay[0], end=decay[1])
    cfg.default_hooks.checkpoint.interval = 1
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.work_dir = str(work_dir)
    return cfg


def _checkpoint(work_dir, it):
    return torch.load(osp.join(str(work_dir), f'iter_{it}.pth'),
                      map_location='cpu',
                      weights_only=False)


def test_demo_trains_with_constant_then_decaying_lr(tmp_path):
    runner = Runner.from_cfg(demo_cfg(tmp_path, tmp_path / 'work', 4))
    runner.train()
    scalars = runner.message_hub.log_scalars
    for key in ('loss_gan_a', 'loss_gan_b', 'loss_cycle_a', 'loss_cycle_b',
                'loss_idt_a', 'loss_idt_b', 'loss_d_a', 'loss_d_b'):
        value = float(scalars[f'train/{key}'].current())
        assert np.isfinite(value) and value > 0, key
    for key in ('generators', 'discriminators'):
        lrs, _ = scalars[f'train/{key}.lr'].data
        # constant, then linearly to 0 at the last iteration (LinearLR over
        # [1, 4) reaches its end factor after end - begin - 1 steps)
        np.testing.assert_allclose(lrs, [LR, LR, LR / 2, 0.0], rtol=1e-6)
    ckpt = _checkpoint(tmp_path / 'work', 4)
    assert set(ckpt['optimizer']) == {'generators', 'discriminators'}
    for d in ('a', 'b'):
        pool = ckpt['state_dict'][f'pools.{d}._extra_state']
        assert len(pool['images']) == 2
        assert pool['images'][0].shape == (3, 32, 32)


def _resume_cfg(tmp_path, work_dir, max_iters):
    cfg = demo_cfg(tmp_path, work_dir, max_iters)
    # Random crops and flips run in a loader worker, as in real runs: on
    # resume MMEngine replays the skipped batches in a freshly seeded
    # worker, which reproduces the crops of the uninterrupted run. (With
    # num_workers=0 the replay would draw from the main process's restored
    # numpy state a second time.) Narrower networks: three runs.
    cfg.train_dataloader.num_workers = 1
    cfg.model.generator.update(base_channels=8, num_blocks=1)
    cfg.model.discriminator.base_channels = 8
    return cfg


def test_resume_equals_uninterrupted_run(tmp_path, monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    full_dir, part_dir = tmp_path / 'full', tmp_path / 'part'
    Runner.from_cfg(_resume_cfg(tmp_path / 'a', full_dir, 4)).train()
    Runner.from_cfg(_resume_cfg(tmp_path / 'b', part_dir, 2)).train()
    cfg = _resume_cfg(tmp_path / 'b', part_dir, 4)
    cfg.resume = True
    Runner.from_cfg(cfg).train()

    full, part = _checkpoint(full_dir, 4), _checkpoint(part_dir, 4)
    assert full['state_dict'].keys() == part['state_dict'].keys()
    for key, value in full['state_dict'].items():
        if key.endswith('_extra_state'):  # the image pools
            other = part['state_dict'][key]['images']
            assert len(value['images']) == len(other) == 2, key
            for x, y in zip(value['images'], other):
                assert torch.equal(x, y), key
        else:
            assert torch.equal(value, part['state_dict'][key]), key
    for name in ('generators', 'discriminators'):
        a = full['optimizer'][name]['state']
        b = part['optimizer'][name]['state']
        assert a.keys() == b.keys()
        for pid in a:
            for k, v in a[pid].items():
                if torch.is_tensor(v):
                    assert torch.equal(v, b[pid][k]), (name, pid, k)
