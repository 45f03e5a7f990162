import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmseg.registry import MODELS

import mmseg_uda  # noqa: F401


def test_build_from_config():
    aligner = MODELS.build(dict(type='EntropyMinimization'))
    assert aligner.levels == dict(main=1e-3, aux=2e-4)
    assert aligner.optim_modules == ()
    assert len(list(aligner.parameters())) == 0


def test_uniform_and_confident_by_hand(make_outputs):
    aligner = MODELS.build(
        dict(type='EntropyMinimization', levels=dict(main=0.5, aux=2.0)))
    # main: equal logits -> p = 1/4 each -> normalised entropy 1 everywhere
    # aux: one class at +inf-like margin -> entropy ~ 0
    main = torch.zeros(1, 4, 2, 2)
    aux = torch.zeros(1, 4, 2, 2)
    aux[:, 0] = 100.0
    out = make_outputs(dict(main=main, aux=aux), (4, 4))
    losses = aligner.generator_loss(out, out)
    assert losses['loss_ent_main'].item() == pytest.approx(0.5 * 1.0)
    assert losses['loss_ent_aux'].item() == pytest.approx(0.0, abs=1e-12)


def test_against_numpy_on_upsampled_softmax(make_outputs):
    torch.manual_seed(0)
    logits = torch.randn(2, 3, 3, 4, requires_grad=True)
    aligner = MODELS.build(
        dict(type='EntropyMinimization', levels=dict(main=1e-3)))
    out = make_outputs(dict(main=logits), (6, 8))
    loss = aligner.generator_loss(out, out)['loss_ent_main']
    up = F.interpolate(logits.detach(), (6, 8),
                       mode='bilinear',
                       align_corners=True)
    p = torch.softmax(up.double(), 1).numpy()
    expected = 1e-3 * (-(p * np.log2(p)).sum(1) / math.log2(3)).mean()
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    loss.backward()
    assert logits.grad.abs().sum() > 0


def test_single_level_and_missing(make_outputs):
    aligner = MODELS.build(dict(type='EntropyMinimization'))
    out = make_outputs(dict(main=torch.randn(1, 2, 2, 2)), (4, 4))
    assert set(aligner.generator_loss(out, out)) == {'loss_ent_main'}
    other = make_outputs(dict(x=torch.randn(1, 2, 2, 2)), (4, 4))
    with pytest.raises(ValueError, match='missing'):
        aligner.generator_loss(other, other)
