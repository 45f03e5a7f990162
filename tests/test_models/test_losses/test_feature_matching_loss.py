import pytest
import torch

from mmseg.registry import MODELS
from mmseg_uda.models.losses import feature_matching_loss


def _t(values, shape):
    return torch.tensor(values, dtype=torch.float32).view(shape)


def test_hand_value_two_discriminators():
    # D_1 has two layers, D_2 one layer.
    real = [[_t([1., 2., 3., 4.], (1, 1, 2, 2)),
             _t([0., 0.], (1, 2, 1, 1))],
            [_t([5., -1.], (1, 1, 1, 2))]]
    fake = [[_t([1., 0., 3., 8.], (1, 1, 2, 2)),
             _t([1., -3.], (1, 2, 1, 1))],
            [_t([2., -1.], (1, 1, 1, 2))]]
    # D_1 layer 0: |0|+|2|+|0|+|-4| = 6 over 4 elements -> 1.5
    # D_1 layer 1: |-1|+|3| = 4 over 2 -> 2.0
    # D_2 layer 0: |3|+|0| = 3 over 2 -> 1.5
    assert feature_matching_loss(real, fake).item() == pytest.approx(5.0)
    # weights per layer index: 0.5 * 1.5 + 2 * 2.0 + 0.5 * 1.5 = 5.5
    assert feature_matching_loss(real, fake, [0.5, 2.0]).item() == \
        pytest.approx(5.5)
    module = MODELS.build(
        dict(type='FeatureMatchingLoss', layer_weights=[0.5, 2.0],
             loss_weight=10.0))
    assert module(real, fake).item() == pytest.approx(55.0)


def test_gradients_reach_both_sides():
    real = [[torch.tensor([[[[1.0, 2.0]]]], requires_grad=True)]]
    fake = [[torch.tensor([[[[3.0, 2.5]]]], requires_grad=True)]]
    feature_matching_loss(real, fake).backward()
    # d/d fake of mean |r - f| = sign(f - r) / 2
    assert fake[0][0].grad.flatten().tolist() == [0.5, 0.5]
    assert real[0][0].grad.flatten().tolist() == [-0.5, -0.5]


def test_mismatches_raise():
    a = [[torch.zeros(1, 1, 2, 2)]]
    with pytest.raises(ValueError, match='shapes'):
        feature_matching_loss(a, [[torch.zeros(1, 1, 2, 3)]])
    with pytest.raises(ValueError, match='layers'):
        feature_matching_loss(a, [[torch.zeros(1, 1, 2, 2)] * 2])
    with pytest.raises(ValueError, match='number of discriminators'):
        feature_matching_loss(a, a * 2)
    with pytest.raises(ValueError, match='layer weights'):
        feature_matching_loss([[torch.zeros(1)] * 2], [[torch.zeros(1)] * 2],
                              [1.0])
