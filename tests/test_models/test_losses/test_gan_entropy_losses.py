import math

import numpy as np
import pytest
import torch

from mmseg_uda.models.losses import (SOURCE_LABEL, TARGET_LABEL, entropy_loss,
                                     gan_loss, self_information)


def _bce(x, y):
    """Hand-written BCE-with-logits of one number."""
    s = 1 / (1 + math.exp(-x))
    return -(y * math.log(s) + (1 - y) * math.log(1 - s))


XS = [0.0, 2.0, -1.0, 3.0]


def test_domain_labels():
    assert SOURCE_LABEL == 0.0 and TARGET_LABEL == 1.0


@pytest.mark.parametrize('label', [0.0, 1.0])
def test_bce_hard_target(label):
    logits = torch.tensor(XS).view(1, 1, 2, 2)
    expected = sum(_bce(x, label) for x in XS) / 4
    assert gan_loss(logits, label).item() == pytest.approx(expected, 1e-6)


def test_bce_soft_target_and_mask():
    logits = torch.tensor(XS).view(1, 1, 2, 2)
    soft = [0.2, 0.5, 1.0, 0.0]
    target = torch.tensor(soft).view(1, 1, 2, 2)
    expected = sum(_bce(x, y) for x, y in zip(XS, soft)) / 4
    assert gan_loss(logits, target).item() == pytest.approx(expected, 1e-6)
    # mask drops the second element; mean over the 3 valid ones
    mask = torch.tensor([[True, False], [True, True]])[None]  # (N, H, W)
    expected = (_bce(0.0, 0.2) + _bce(-1.0, 1.0) + _bce(3.0, 0.0)) / 3
    assert gan_loss(logits, target,
                    mask=mask).item() == pytest.approx(expected, 1e-6)


def test_lsgan():
    logits = torch.tensor(XS).view(1, 1, 1, 4)
    soft = [0.2, 0.5, 1.0, 0.0]
    target = torch.tensor(soft).view(1, 1, 1, 4)
    expected = sum((x - y)**2 for x, y in zip(XS, soft)) / 4
    assert gan_loss(logits, target, 'lsgan').item() == pytest.approx(expected)
    expected = sum((x - 1)**2 for x in XS) / 4
    assert gan_loss(logits, 1.0, 'lsgan').item() == pytest.approx(expected)
    mask = torch.tensor([1., 1., 0., 0.]).view(1, 1, 1, 4)
    expected = ((0 - 0.2)**2 + (2 - 0.5)**2) / 2
    assert gan_loss(logits, target, 'lsgan',
                    mask).item() == pytest.approx(expected)


@pytest.mark.parametrize('mode', ['bce', 'lsgan'])
def test_empty_mask_gives_zero_with_graph(mode):
    leaf = torch.tensor(XS, requires_grad=True)
    loss = gan_loss(leaf.view(1, 1, 2, 2), 1.0, mode,
                    torch.zeros(1, 1, 2, 2, dtype=torch.bool))
    assert loss.item() == 0.0 and not torch.isnan(loss)
    assert loss.requires_grad
    loss.backward()
    assert torch.equal(leaf.grad, torch.zeros(4))


def test_half_logits_computed_in_fp32():
    logits = torch.tensor(XS).view(1, 1, 2, 2)
    loss = gan_loss(logits.half(), 1.0)
    assert loss.dtype == torch.float32
    expected = sum(_bce(x, 1.0) for x in XS) / 4
    assert loss.item() == pytest.approx(expected, 1e-3)


def test_gan_loss_bad_args():
    logits = torch.zeros(1, 1, 2, 2)
    with pytest.raises(ValueError, match='mode'):
        gan_loss(logits, 1.0, 'hinge')
    with pytest.raises(ValueError, match='target'):
        gan_loss(logits, torch.zeros(3, 1, 2, 2))
    with pytest.raises(ValueError, match='mask'):
        gan_loss(logits, 1.0, mask=torch.ones(1, 1, 3, 3))


def test_self_information_two_classes():
    # pixel 0 uniform, pixel 1 one-hot
    probs = torch.tensor([[0.5, 1.0], [0.5, 0.0]]).view(1, 2, 1, 2)
    info = self_information(probs)
    # -0.5 * log2(0.5) / log2(2) = 0.5 per channel, entropy 1 in total
    torch.testing.assert_close(info[0, :, 0, 0], torch.tensor([0.5, 0.5]))
    torch.testing.assert_close(info[0, :, 0, 1], torch.zeros(2))
    assert entropy_loss(probs).item() == pytest.approx(0.5)


def test_self_information_three_classes_by_hand():
    probs = torch.tensor([0.5, 0.25, 0.25]).view(1, 3, 1, 1)
    # -0.5 log2 0.5 = 0.5, -0.25 log2 0.25 = 0.5, normalised by log2 3
    expected = torch.tensor([0.5, 0.5, 0.5]) / math.log2(3)
    torch.testing.assert_close(self_information(probs).view(3), expected)
    assert entropy_loss(probs).item() == pytest.approx(1.5 / math.log2(3))


def test_entropy_against_numpy():
    torch.manual_seed(0)
    probs = torch.softmax(torch.randn(2, 5, 3, 4) * 3, dim=1)
    p = probs.double().numpy()
    ent = (-(p * np.log(p)).sum(axis=1) / np.log(5))  # (N, H, W)
    assert entropy_loss(probs).item() == pytest.approx(ent.mean(), 1e-5)
    info = self_information(probs).double().numpy()
    np.testing.assert_allclose(info.sum(axis=1), ent, rtol=1e-5)


def test_entropy_of_zero_probability_is_finite():
    probs = torch.tensor([1.0, 0.0], requires_grad=True)
    loss = entropy_loss(probs.view(1, 2, 1, 1))
    loss.backward()
    assert loss.item() == 0.0
    assert torch.isfinite(probs.grad).all()


def test_entropy_bad_shape():
    with pytest.raises(ValueError, match='C >= 2'):
        entropy_loss(torch.ones(1, 1, 2, 2))
    with pytest.raises(ValueError, match='N, C, H, W'):
        self_information(torch.ones(2, 3))
