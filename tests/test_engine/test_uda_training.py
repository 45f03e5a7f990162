"""End-to-end MMEngine Runner runs of a tiny UDASegmentor: per-key PolyLR,
stage switching, checkpoint, resume == uninterrupted run."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.runner import Runner

from fake_datasets import make_cityscapes, make_gta5
from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
from uda_toys import model_cfg, optim_cfg

MAX_ITERS = 4
G_LR, D_LR, POWER = 0.01, 1e-4, 0.9


def runner_cfg(tmp_path,
               work_dir,
               max_iters,
               resume=False,
               load_from=None,
               val=False,
               augment=False):
    gta = make_gta5(tmp_path / 'gta', n=3)
    city = make_cityscapes(tmp_path / 'city', n=2)
    source = dict(type='GTA5Dataset',
                  data_root=gta,
                  data_prefix=dict(img_path='images', seg_map_path='labels'),
                  pipeline=[
                      dict(type='LoadImageFromFile'),
                      dict(type='LoadAnnotations'),
                      dict(type='Resize', scale=(32, 32), keep_ratio=False),
                  ] + ([
                      # numpy-random augmentation, run in the main process
                      dict(type='RandomCrop', crop_size=(24, 24)),
                      dict(type='RandomFlip', prob=0.5),
                  ] if augment else []) + [
                      dict(type='PackSegInputs'),
                  ])
    target = dict(type='CityscapesDataset',
                  data_root=city,
                  data_prefix=dict(img_path='leftImg8bit/train'),
                  pipeline=[
                      dict(type='LoadImageFromFile'),
                      dict(type='Resize', scale=(48, 24), keep_ratio=False),
                      dict(type='PackSegInputs'),
                  ])
    poly = dict(type='PolyLR',
                power=POWER,
                eta_min=0.,
                begin=0,
                end=MAX_ITERS,
                by_epoch=False)
    cfg = dict(
        default_scope='mmseg',
        model=model_cfg(),
        work_dir=str(work_dir),
        train_dataloader=dict(batch_size=2,
                              num_workers=0,
                              sampler=dict(type='UDAInfiniteSampler',
                                           shuffle=True,
                                           seed=0),
                              collate_fn=dict(type='pseudo_collate'),
                              dataset=dict(type='UDADataset',
                                           source=source,
                                           target=target)),
        train_cfg=dict(type='IterBasedTrainLoop',
                       max_iters=max_iters,
                       val_interval=max_iters),
        optim_wrapper=optim_cfg(),
        param_scheduler={
            'segmentor': [poly],
            'adv.discriminator': [poly]
        },
        custom_hooks=[
            dict(type='UDAStageHook',
                 stages=[
                     dict(name='source_only',
                          iters=2,
                          aligners=dict(adv=dict(active=False))),
                     dict(name='adapt',
                          iters=2,
                          aligners=dict(adv=dict(active=True, weight=0.01))),
                 ])
        ],
        default_hooks=dict(timer=dict(type='IterTimerHook'),
                           logger=dict(type='LoggerHook', interval=1),
                           param_scheduler=dict(type='ParamSchedulerHook'),
                           checkpoint=dict(type='CheckpointHook',
                                           by_epoch=False,
                                           interval=2)),
        log_processor=dict(by_epoch=False),
        randomness=dict(seed=0, deterministic=True),
        resume=resume,
        load_from=load_from,
        visualizer=dict(type='SegLocalVisualizer',
                        vis_backends=[dict(type='LocalVisBackend')]),
        log_level='WARNING')
    if val:
        cfg.update(val_dataloader=dict(
            batch_size=1,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dict(type='CityscapesDataset',
                         data_root=city,
                         data_prefix=dict(img_path='leftImg8bit/val',
                                          seg_map_path='gtFine/val'),
                         pipeline=[
                             dict(type='LoadImageFromFile'),
                             dict(type='Resize',
                                  scale=(48, 24),
                                  keep_ratio=False),
                             dict(type='LoadAnnotations'),
                             dict(type='PackSegInputs'),
                         ])),
                   val_cfg=dict(type='ValLoop'),
                   val_evaluator=dict(type='IoUMetric', iou_metrics=['mIoU']))
    return Config(cfg)


def poly_lr(base, it):
    """lr used at 0-based iteration ``it``: closed form of MMEngine's
    recursive PolyLR, whose horizon is ``end - begin - 1`` steps."""
    return base * (1 - it / (MAX_ITERS - 1))**POWER


def test_runner_trains_switches_stage_and_validates(tmp_path):
    work_dir = tmp_path / 'work'
    runner = Runner.from_cfg(
        runner_cfg(tmp_path, work_dir, MAX_ITERS, val=True))
    runner.train()

    hub = runner.message_hub
    assert hub.get_info('uda_stage') == 'adapt'
    assert osp.isfile(work_dir / 'iter_2.pth')
    assert osp.isfile(work_dir / 'iter_4.pth')
    scalars = hub.log_scalars
    for key in ('train/loss', 'train/decode.loss_ce', 'train/aux.loss_ce',
                'train/adv.loss_adv', 'train/adv.loss_d'):
        assert key in scalars, key
    # The adversarial terms were only logged in the 'adapt' stage.
    assert len(scalars['train/adv.loss_d'].data[0]) == 2
    assert 'val/mIoU' in scalars

    # Per-key schedulers: the lr of each iteration (first param group =
    # backbone, base lr) follows the poly formula of its own key.
    for key, base in (('segmentor', G_LR), ('adv.discriminator', D_LR)):
        history = scalars[f'train/{key}.lr'].data[0]
        expected = [poly_lr(base, it) for it in range(MAX_ITERS)]
        assert len(history) == MAX_ITERS
        for got, want in zip(history, expected):
            assert abs(got - want) <= 1e-9 * base, (key, history, expected)
    # Heads at 10x in every iteration's schedule.
    g_groups = runner.optim_wrapper['segmentor'].optimizer.param_groups
    assert sorted({g['initial_lr'] for g in g_groups}) == [G_LR, 10 * G_LR]

    ckpt = torch.load(work_dir / 'iter_4.pth', weights_only=False)
    assert set(ckpt['optimizer']) == {'segmentor', 'adv.discriminator'}
    assert set(ckpt['param_schedulers']) == {'segmentor', 'adv.discriminator'}
    assert any(
        k.startswith('aligners.adv.discriminator.')
        for k in ckpt['state_dict'])


def test_resume_equals_uninterrupted_run(tmp_path, monkeypatch):
    # What tools/train.py does (allow_full_checkpoint_loading), scoped to
    # this test: MMEngine resume needs full unpickling on torch >= 2.6.
    monkeypatch.setenv(ENV_FLAG, '1')
    full = Runner.from_cfg(runner_cfg(tmp_path, tmp_path / 'full', MAX_ITERS))
    full.train()

    first = Runner.from_cfg(runner_cfg(tmp_path, tmp_path / 'part', 2))
    first.train()
    ckpt = str(tmp_path / 'part' / 'iter_2.pth')
    assert first.message_hub.get_info('uda_stage') == 'source_only'
    resumed = Runner.from_cfg(
        runner_cfg(tmp_path,
                   tmp_path / 'part',
                   MAX_ITERS,
                   resume=True,
                   load_from=ckpt))
    resumed.train()

    assert resumed.iter == full.iter == MAX_ITERS
    assert resumed.message_hub.get_info('uda_stage') == 'adapt'
    full_state = full.model.state_dict()
    resumed_state = resumed.model.state_dict()
    assert set(full_state) == set(resumed_state)
    for key, value in full_state.items():
        torch.testing.assert_close(resumed_state[key],
                                   value,
                                   rtol=0,
                                   atol=0,
                                   msg=key)
    # The discriminator trained in the resumed half too.
    first_d = first.model.aligners['adv'].discriminator.weight
    assert not torch.equal(first_d,
                           resumed.model.aligners['adv'].discriminator.weight)
    for key in ('segmentor', 'adv.discriminator'):
        assert resumed.optim_wrapper[key].get_lr() == \
            full.optim_wrapper[key].get_lr()


def test_resume_with_random_augmentation_and_no_workers(tmp_path,
                                                        monkeypatch):
    """The replayed batches draw crops and flips in this process; the RNG
    states are set again before the first new batch (RNGStateHook)."""
    monkeypatch.setenv(ENV_FLAG, '1')

    def cfg(work_dir, max_iters, **kwargs):
        c = runner_cfg(tmp_path, work_dir, max_iters, augment=True, **kwargs)
        c['custom_hooks'].append(dict(type='RNGStateHook'))
        return c

    full = Runner.from_cfg(cfg(tmp_path / 'full', MAX_ITERS))
    full.train()
    Runner.from_cfg(cfg(tmp_path / 'part', 2)).train()
    resumed = Runner.from_cfg(
        cfg(tmp_path / 'part',
            MAX_ITERS,
            resume=True,
            load_from=str(tmp_path / 'part' / 'iter_2.pth')))
    resumed.train()
    full_state, resumed_state = full.model.state_dict(), \
        resumed.model.state_dict()
    for key, value in full_state.items():
        assert torch.equal(resumed_state[key], value), key
    loss = 'train/loss'
    assert list(resumed.message_hub.log_scalars[loss].data[0]) == list(
        full.message_hub.log_scalars[loss].data[0])
