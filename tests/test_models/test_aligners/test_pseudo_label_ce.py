import math

import pytest
import torch
from mmseg.registry import MODELS

import mmseg_uda  # noqa: F401


def test_build_from_config():
    aligner = MODELS.build(dict(type='PseudoLabelCE'))
    assert aligner.levels == dict(main=1.0)
    assert aligner.optim_modules == ()
    assert len(list(aligner.parameters())) == 0


def test_by_hand_at_the_label_size(make_outputs):
    # pixel 0: logits (0, 0), label 1 -> -log(1/2) = log 2
    # pixel 1: logits (log 3, 0), label 0 -> -log(3/4)
    # pixel 2: ignored
    logits = torch.tensor([[[[0.0, math.log(3.0), 5.0]],
                            [[0.0, 0.0, 0.0]]]],
                          requires_grad=True)
    labels = torch.tensor([[[1, 0, 255]]])
    aligner = MODELS.build(dict(type='PseudoLabelCE', levels=dict(main=0.5)))
    out = make_outputs(dict(main=logits), (1, 3), labels)
    loss = aligner.generator_loss(out, out)['loss_pseudo_main']
    # mean over the two valid pixels, not the three
    expected = 0.5 * (math.log(2.0) + math.log(4.0 / 3.0)) / 2
    assert loss.item() == pytest.approx(expected, rel=1e-6)
    loss.backward()
    assert logits.grad[..., 2].abs().sum() == 0  # ignored pixel
    assert logits.grad[..., :2].abs().sum() > 0


def test_logits_upsampled_to_the_label_size_with_align_corners(
        make_outputs):
    # two native columns (0, 0) and (2 log 3, 0); the label has three: with
    # align_corners=True the middle column is their mean (log 3, 0).
    logits = torch.tensor([[[[0.0, 2 * math.log(3.0)]], [[0.0, 0.0]]]])
    labels = torch.tensor([[[0, 0, 255]]])
    aligner = MODELS.build(dict(type='PseudoLabelCE'))
    out = make_outputs(dict(main=logits), (1, 2), labels)
    loss = aligner.generator_loss(out, out)['loss_pseudo_main']
    expected = (math.log(2.0) + math.log(4.0 / 3.0)) / 2
    assert loss.item() == pytest.approx(expected, rel=1e-6)


def test_levels_and_an_all_ignored_batch(make_outputs):
    aligner = MODELS.build(
        dict(type='PseudoLabelCE', levels=dict(main=1.0, aux=0.1)))
    logits = torch.randn(2, 3, 2, 2, requires_grad=True)
    labels = torch.full((2, 4, 4), 255)
    out = make_outputs(dict(main=logits, aux=logits * 2), (4, 4), labels)
    losses = aligner.generator_loss(out, out)
    assert set(losses) == {'loss_pseudo_main', 'loss_pseudo_aux'}
    assert losses['loss_pseudo_main'].item() == 0.0
    losses['loss_pseudo_main'].backward()  # still differentiable
    single = make_outputs(dict(main=logits), (4, 4), labels)
    assert set(aligner.generator_loss(single, single)) == {
        'loss_pseudo_main'
    }


def test_missing_label_tells_how_to_get_pseudo_labels(make_outputs):
    aligner = MODELS.build(dict(type='PseudoLabelCE'))
    out = make_outputs(dict(main=torch.randn(1, 3, 2, 2)), (4, 4))
    out.data_samples[0].set_metainfo(dict(img_path='city/a_leftImg8bit.png'))
    with pytest.raises(KeyError,
                       match='a_leftImg8bit.png.*generate_pseudo_labels.*'
                       'seg_map_path'):
        aligner.generator_loss(out, out)
