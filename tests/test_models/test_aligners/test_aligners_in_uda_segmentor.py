"""The three aligners inside a real UDASegmentor train_step.

Which optimizer changes which parameters: G's SGD changes G only, each
discriminator's Adam changes its discriminator only (SPEC 8).
"""
import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
from mmseg.structures import SegDataSample

import mmseg_uda  # noqa: F401

NUM_CLASSES = 3


def _segmentor_cfg():
    head = dict(type='DLV2Head',
                num_classes=NUM_CLASSES,
                dilations=(1, 2),
                align_corners=True)
    return dict(type='EncoderDecoder',
                data_preprocessor=dict(type='SegDataPreProcessor',
                                       mean=[123.675, 116.28, 103.53],
                                       std=[58.395, 57.12, 57.375],
                                       size_divisor=1,
                                       seg_pad_val=255),
                backbone=dict(type='DLV2ResNet',
                              depth=18,
                              base_channels=8,
                              out_indices=(0, 1, 2, 3),
                              strides=(1, 2, 1, 1),
                              dilations=(1, 1, 2, 4),
                              norm_cfg=dict(type='BN', requires_grad=True),
                              zero_init_residual=False,
                              init_cfg=None),
                decode_head=dict(head, in_channels=64, in_index=3),
                auxiliary_head=dict(head,
                                    in_channels=32,
                                    in_index=2,
                                    loss_decode=dict(type='CrossEntropyLoss',
                                                     loss_weight=0.1)),
                train_cfg=dict(),
                test_cfg=ConfigDict(mode='whole'))


def _batch(h, w, labelled, seed):
    gen = torch.Generator().manual_seed(seed)
    image = torch.randint(0, 256, (3, h, w), generator=gen, dtype=torch.uint8)
    sample = SegDataSample(
        metainfo=dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w)))
    if labelled:
        label = torch.randint(0, NUM_CLASSES, (1, h, w), generator=gen)
        label[0, :4] = 255  # background rows
        sample.gt_sem_seg = PixelData(data=label)
    return dict(inputs=[image], data_samples=[sample])


def _adam():
    return dict(type='OptimWrapper',
                optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.99)))


@pytest.fixture(autouse=True)
def mmseg_scope():
    # nested configs (data_preprocessor) resolve in the mmseg registries
    init_default_scope('mmseg')


@pytest.mark.parametrize('theta', [1.0, 0.6])
def test_train_step_updates_each_network_with_its_optimizer(theta):
    torch.manual_seed(0)
    small_fc = dict(type='FCDiscriminator', base_channels=4, num_convs=2)
    model = MODELS.build(
        dict(type='UDASegmentor',
             segmentor=_segmentor_cfg(),
             aligners=dict(global_adv=dict(type='OutputAdversarial',
                                           num_classes=NUM_CLASSES,
                                           discriminator=small_fc),
                           local_adv=dict(type='LocalAdversarial',
                                          num_classes=NUM_CLASSES,
                                          theta=theta,
                                          discriminator=dict(
                                              type='PixelDiscriminator',
                                              channels=(4, 4))),
                           minent=dict(type='EntropyMinimization'))))
    model.init_weights()
    constructor = OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(type='UDAOptimWrapperConstructor',
             optim_wrapper_cfg={
                 'segmentor':
                 dict(type='OptimWrapper',
                      optimizer=dict(type='SGD', lr=0.1, momentum=0.9)),
                 'global_adv.discriminators':
                 _adam(),
                 'local_adv.discriminator':
                 _adam(),
             }))
    optim_wrapper = constructor(model)
    before = {k: v.detach().clone() for k, v in model.named_parameters()}
    data = dict(source=_batch(32, 40, True, 1),
                target=_batch(24, 32, False, 2))
    log_vars = model.train_step(data, optim_wrapper)

    for key in ('global_adv.loss_adv_main', 'global_adv.loss_adv_aux',
                'global_adv.loss_d_main', 'global_adv.loss_d_aux',
                'local_adv.loss_adv_local', 'local_adv.loss_d_local',
                'minent.loss_ent_main', 'minent.loss_ent_aux'):
        assert torch.isfinite(log_vars[key]), key
    changed = {
        k
        for k, v in model.named_parameters() if not torch.equal(before[k], v)
    }
    groups = {
        'segmentor.': 'segmentor',
        'aligners.global_adv.discriminators.main.': 'D main',
        'aligners.global_adv.discriminators.aux.': 'D aux',
        'aligners.local_adv.discriminator.': 'pixel D',
    }
    for prefix, what in groups.items():
        names = [k for k in before if k.startswith(prefix)]
        assert names and any(k in changed for k in names), what
    # every discriminator parameter got a step; nothing outside the groups
    assert all(k in changed for k in before if k.startswith('aligners.'))
    assert all(k.startswith(tuple(groups)) for k in before)
    # networks trainable again after the step (flags restored)
    assert all(p.requires_grad for p in model.aligners.parameters())
