"""DACS's ClassMixSelfTraining: the mixed batch by hand, its loss, and a
UDASegmentor step with the EMA teacher (issue 21)."""
import math

import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
from mmseg.structures import SegDataSample

import mmseg_uda  # noqa: F401
from mmseg_uda.models.aligners import DomainOutputs

NUM_CLASSES = 3


def segmentor_cfg(aux=False):
    head = dict(type='DLV2Head',
                num_classes=NUM_CLASSES,
                dilations=(1, 2),
                align_corners=True)
    cfg = dict(type='EncoderDecoder',
               data_preprocessor=dict(type='SegDataPreProcessor',
                                      mean=[123.675, 116.28, 103.53],
                                      std=[58.395, 57.12, 57.375],
                                      bgr_to_rgb=True,
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
               train_cfg=dict(),
               test_cfg=ConfigDict(mode='whole'))
    if aux:
        cfg['auxiliary_head'] = dict(head, in_channels=32, in_index=2)
    return cfg


def batch(n, h, w, labelled, seed):
    gen = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for _ in range(n):
        inputs.append(
            torch.randint(0, 256, (3, h, w), generator=gen,
                          dtype=torch.uint8))
        sample = SegDataSample(metainfo=dict(
            img_shape=(h, w), ori_shape=(h, w), pad_shape=(h, w)))
        if labelled:
            label = torch.randint(0, NUM_CLASSES, (1, h, w), generator=gen)
            label[0, :2] = 255
            sample.gt_sem_seg = PixelData(data=label)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def sgd_wrapper(model, extra=None):
    cfg = {
        'segmentor':
        dict(type='OptimWrapper',
             optimizer=dict(type='SGD', lr=0.05, momentum=0.9))
    }
    cfg.update(extra or {})
    return OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(type='UDAOptimWrapperConstructor',
             optim_wrapper_cfg=cfg))(model)


@pytest.fixture(autouse=True)
def mmseg_scope():
    init_default_scope('mmseg')


def _labelled_samples(labels):
    samples = []
    for label in labels:
        sample = SegDataSample()
        sample.gt_sem_seg = PixelData(data=label[None])
        samples.append(sample)
    return samples


def test_mixed_batch_by_hand():
    aligner = MODELS.build(dict(type='ClassMixSelfTraining', augment=None))
    src_label = torch.tensor([[[0, 1, 255], [1, 2, 2]]])
    source = dict(inputs=torch.full((1, 3, 2, 3), 1.0),
                  data_samples=_labelled_samples(src_label))
    conf = torch.tensor([[[0.99, 0.5, 0.97], [0.1, 0.2, 0.99]]])
    target = dict(inputs=torch.full((1, 3, 2, 3), -1.0),
                  data_samples=[SegDataSample()],
                  pseudo_label=torch.tensor([[[2, 2, 0], [0, 0, 1]]]),
                  pseudo_confidence=conf)
    mixed = aligner.extra_batches(source, target)['mixed']
    mask = mixed['mask'][0]
    # two of the three source classes (ceil(3 / 2)); void never pasted
    pasted = set(src_label[0][mask].tolist())
    assert len(pasted) == 2 and 255 not in pasted
    assert torch.equal(mask, torch.isin(src_label[0],
                                        torch.tensor(sorted(pasted))))
    # image and labels: source where pasted, target / teacher elsewhere
    assert torch.equal(mixed['inputs'][0, 0], torch.where(mask, 1.0, -1.0))
    assert torch.equal(mixed['label'][0],
                       torch.where(mask, src_label[0],
                                   target['pseudo_label'][0]))
    # q = 3 of 6 target pixels above 0.968; 1 on pasted pixels
    assert mixed['confidence_weight'].tolist() == [0.5]
    assert torch.equal(mixed['weight'][0], torch.where(mask, 1.0, 0.5))


def test_loss_by_hand():
    aligner = MODELS.build(
        dict(type='ClassMixSelfTraining', weight=2.0, augment=None))
    logits = torch.tensor([[[[0.0, math.log(3.0)]], [[0.0, 0.0]]]],
                          requires_grad=True)
    mixed = DomainOutputs(
        inputs=torch.zeros(1, 3, 1, 2),
        data_samples=[SegDataSample()],
        feats=[],
        logits=dict(main=logits),
        annotations=dict(label=torch.tensor([[[1, 0]]]),
                         weight=torch.tensor([[[0.25, 1.0]]]),
                         confidence_weight=torch.tensor([0.25])))
    target = DomainOutputs(inputs=torch.zeros(1, 3, 1, 2),
                           data_samples=[SegDataSample()],
                           feats=[],
                           logits={},
                           extras=dict(mixed=mixed))
    losses = aligner.generator_loss(None, target)
    expected = 2.0 * (0.25 * math.log(2.0) + math.log(4.0 / 3.0)) / 2
    assert losses['loss_mix_main'].item() == pytest.approx(expected,
                                                           rel=1e-6)
    assert losses['pseudo_weight'].item() == 0.25


def test_errors():
    with pytest.raises(ValueError, match='teacher'):
        MODELS.build(
            dict(type='UDASegmentor',
                 segmentor=segmentor_cfg(),
                 aligners=dict(mix=dict(type='ClassMixSelfTraining'))))
    with pytest.raises(ValueError, match='evaluate_teacher'):
        MODELS.build(
            dict(type='UDASegmentor',
                 segmentor=segmentor_cfg(),
                 evaluate_teacher=True))
    model = MODELS.build(
        dict(type='UDASegmentor',
             segmentor=segmentor_cfg(),
             teacher=dict(alpha=0.99),
             aligners=dict(mix=dict(type='ClassMixSelfTraining'))))
    data = dict(source=batch(2, 16, 16, True, 1),
                target=batch(2, 12, 16, False, 2))
    with pytest.raises(ValueError, match='same shape'):
        model.train_step(data, sgd_wrapper(model))


def test_train_step_teacher_and_forward_passes():
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type='UDASegmentor',
             segmentor=segmentor_cfg(),
             teacher=dict(alpha=0.99),
             aligners=dict(mix=dict(type='ClassMixSelfTraining'))))
    model.init_weights()
    optim_wrapper = sgd_wrapper(model)
    # the optimizer holds G's parameters only
    g_ids = {id(p) for p in model.segmentor.parameters()}
    opt_ids = {
        id(p)
        for g in optim_wrapper['segmentor'].optimizer.param_groups
        for p in g['params']
    }
    assert opt_ids == g_ids
    calls = []
    forward_domain = model._generator.forward_domain
    model._generator.forward_domain = lambda x: (calls.append(x.shape),
                                                 forward_domain(x))[1]
    g_before = {
        k: v.detach().clone()
        for k, v in model.segmentor.state_dict().items()
    }
    data = dict(source=batch(2, 16, 16, True, 1),
                target=batch(2, 16, 16, False, 2))
    log_vars = model.train_step(data, optim_wrapper)

    # source and the mixed batch; the raw target needs no G forward
    assert len(calls) == 2
    assert torch.isfinite(log_vars['mix.loss_mix_main'])
    assert 0.0 <= log_vars['mix.pseudo_weight'] <= 1.0
    assert log_vars['teacher.alpha'] == 0.5
    # update 0 (first prediction) copied G; update 1 (after the step):
    # teacher = 0.5 * G_before + 0.5 * G_after, BN statistics included
    assert int(model.teacher.num_updates) == 2
    g_after = model.segmentor.state_dict()
    teacher = model.teacher.model.state_dict()
    for key, before in g_before.items():
        if before.is_floating_point():
            want = 0.5 * before + 0.5 * g_after[key]
            assert torch.allclose(teacher[key], want, atol=1e-6), key
        else:
            assert torch.equal(teacher[key], g_after[key]), key
    # G changed, the teacher never took a gradient
    assert any(not torch.equal(g_before[k], v) for k, v in g_after.items()
               if k.endswith('weight'))
    assert all(p.grad is None and not p.requires_grad
               for p in model.teacher.parameters())
    # the teacher is in the model's state dict (checkpoints)
    assert 'teacher.num_updates' in model.state_dict()
    assert any(k.startswith('teacher.model.backbone.')
               for k in model.state_dict())


def test_evaluate_teacher_predicts_with_the_teacher():
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type='UDASegmentor',
             segmentor=segmentor_cfg(),
             teacher=dict(alpha=0.99),
             evaluate_teacher=True))
    model.init_weights()
    assert model.evaluated_network() is model.teacher.model
    model.eval()
    data = batch(1, 16, 16, True, 3)
    got = model.val_step(data)[0].seg_logits.data
    want = model.teacher.model.val_step(data)[0].seg_logits.data
    assert torch.equal(got, want)
    # init_weights made the teacher a copy of the initialised G
    for key, value in model.segmentor.state_dict().items():
        assert torch.equal(model.teacher.model.state_dict()[key], value)
    assert int(model.teacher.num_updates) == 0


def test_composes_with_a_local_discriminator():
    """GL's pixel D + DACS: the local D needs G's target outputs, so G runs
    on source, target and the mixed batch, and each network has its
    optimizer."""
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type='UDASegmentor',
             segmentor=segmentor_cfg(),
             teacher=dict(alpha=0.99),
             aligners=dict(local_adv=dict(type='LocalAdversarial',
                                          num_classes=NUM_CLASSES,
                                          discriminator=dict(
                                              type='PixelDiscriminator',
                                              channels=(4, 4))),
                           mix=dict(type='ClassMixSelfTraining'))))
    model.init_weights()
    optim_wrapper = sgd_wrapper(
        model, {
            'local_adv.discriminator':
            dict(type='OptimWrapper',
                 optimizer=dict(type='Adam', lr=1e-3))
        })
    calls = []
    forward_domain = model._generator.forward_domain
    model._generator.forward_domain = lambda x: (calls.append(1),
                                                 forward_domain(x))[1]
    before = {k: v.detach().clone() for k, v in model.named_parameters()}
    log_vars = model.train_step(
        dict(source=batch(2, 16, 16, True, 1),
             target=batch(2, 16, 16, False, 2)), optim_wrapper)
    assert len(calls) == 3
    for key in ('local_adv.loss_adv_local', 'local_adv.loss_d_local',
                'mix.loss_mix_main'):
        assert torch.isfinite(torch.as_tensor(log_vars[key])), key
    changed = {
        k
        for k, v in model.named_parameters() if not torch.equal(before[k], v)
    }
    assert any(k.startswith('segmentor.') for k in changed)
    assert any(k.startswith('aligners.local_adv.discriminator.')
               for k in changed)
    # teacher parameters move by EMA only, never by an optimizer
    assert any(k.startswith('teacher.') for k in changed)
    assert all(not p.requires_grad for p in model.teacher.parameters())


def test_composes_with_stuff_instance_matching():
    """SIM's feature matching + DACS: SIM reads G's target outputs (G runs
    on source, target and the mixed crop), fills its banks from the source,
    and the mixed loss trains G in the same step."""
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type='UDASegmentor',
             segmentor=segmentor_cfg(),
             teacher=dict(alpha=0.99),
             aligners=dict(sim=dict(type='StuffInstanceMatching',
                                    feat_channels=64,
                                    stuff_classes=(0, ),
                                    thing_classes=(1, 2),
                                    stuff_bank_size=2,
                                    thing_bank_size=3,
                                    max_instances=2,
                                    classifier_check=False),
                           mix=dict(type='ClassMixSelfTraining'))))
    model.init_weights()
    calls = []
    forward_domain = model._generator.forward_domain
    model._generator.forward_domain = lambda x: (calls.append(1),
                                                 forward_domain(x))[1]
    optim_wrapper = sgd_wrapper(model)
    data = dict(source=batch(2, 16, 16, True, 1),
                target=batch(2, 16, 16, False, 2))
    for _ in range(2):  # the banks fill in step 1, matching acts in step 2
        log_vars = model.train_step(data, optim_wrapper)
    assert len(calls) == 6
    assert torch.isfinite(log_vars['sim.loss_stuff'])
    assert torch.isfinite(log_vars['mix.loss_mix_main'])
    assert int(model.teacher.num_updates) == 3
