"""MIC's MaskedImageConsistency: the masked batch, its loss, and MIC on top
of DACS in one UDASegmentor step (issue 21)."""
import math

import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import mmseg_uda  # noqa: F401
from mmseg_uda.models.aligners import DomainOutputs
from test_class_mix_self_training import batch, segmentor_cfg, sgd_wrapper


@pytest.fixture(autouse=True)
def mmseg_scope():
    init_default_scope('mmseg')


def test_masked_batch():
    torch.manual_seed(0)
    aligner = MODELS.build(
        dict(type='MaskedImageConsistency', patch_size=4, ratio=0.7))
    conf = torch.rand(2, 32, 48)
    conf[0] = 0.99  # all confident
    conf[1, :8] = 0.99  # a quarter confident
    conf[1, 8:] = 0.5
    target = dict(inputs=torch.randn(2, 3, 32, 48) + 5.0,
                  data_samples=[SegDataSample(), SegDataSample()],
                  pseudo_label=torch.randint(0, 3, (2, 32, 48)),
                  pseudo_confidence=conf)
    masked = aligner.extra_batches({}, target)['masked']
    keep = masked['keep']
    # whole 4 x 4 patches: zero (the mean colour) where dropped
    blocks = keep.view(2, 8, 4, 12, 4).permute(0, 1, 3, 2, 4).flatten(3)
    assert torch.all(blocks.all(-1) | (~blocks).all(-1))
    assert torch.equal(masked['inputs'] == 0, (~keep)[:, None].expand(
        -1, 3, -1, -1))
    assert torch.equal(masked['inputs'][keep[:, None].expand(-1, 3, -1,
                                                             -1)],
                       target['inputs'][keep[:, None].expand(-1, 3, -1,
                                                             -1)])
    # about 70% of the patches dropped (192 patches)
    assert 0.55 < 1 - keep.float().mean().item() < 0.85
    # labels of the unmasked image, q per image
    assert masked['label'] is target['pseudo_label']
    assert masked['confidence_weight'].tolist() == [1.0, 0.25]
    assert torch.equal(masked['weight'][1], torch.full((32, 48), 0.25))


def test_loss_by_hand():
    aligner = MODELS.build(dict(type='MaskedImageConsistency', weight=0.5))
    logits = torch.tensor([[[[0.0, math.log(3.0)]], [[0.0, 0.0]]]])
    masked = DomainOutputs(
        inputs=torch.zeros(1, 3, 1, 2),
        data_samples=[SegDataSample()],
        feats=[],
        logits=dict(main=logits),
        annotations=dict(label=torch.tensor([[[1, 0]]]),
                         weight=torch.full((1, 1, 2), 0.8),
                         confidence_weight=torch.tensor([0.8])))
    target = DomainOutputs(inputs=torch.zeros(1, 3, 1, 2),
                           data_samples=[SegDataSample()],
                           feats=[],
                           logits={},
                           extras=dict(masked=masked))
    losses = aligner.generator_loss(None, target)
    expected = 0.5 * 0.8 * (math.log(2.0) + math.log(4.0 / 3.0)) / 2
    assert losses['loss_mic_main'].item() == pytest.approx(expected,
                                                           rel=1e-6)


def test_mic_on_dacs_shares_the_teacher():
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type='UDASegmentor',
             segmentor=segmentor_cfg(),
             teacher=dict(alpha=0.999),
             aligners=dict(mix=dict(type='ClassMixSelfTraining'),
                           mic=dict(type='MaskedImageConsistency',
                                    patch_size=4))))
    model.init_weights()
    calls = []
    forward_domain = model._generator.forward_domain
    model._generator.forward_domain = lambda x: (calls.append(1),
                                                 forward_domain(x))[1]
    teacher_calls = []
    predict = model.teacher_pseudo_labels
    model.teacher_pseudo_labels = lambda x: (teacher_calls.append(1),
                                             predict(x))[1]
    log_vars = model.train_step(
        dict(source=batch(2, 16, 16, True, 1),
             target=batch(2, 16, 16, False, 2)), sgd_wrapper(model))
    # source, mixed and masked batches; the teacher labels the target once
    assert len(calls) == 3 and len(teacher_calls) == 1
    assert torch.isfinite(log_vars['mic.loss_mic_main'])
    assert torch.isfinite(log_vars['mix.loss_mix_main'])
    assert int(model.teacher.num_updates) == 2
