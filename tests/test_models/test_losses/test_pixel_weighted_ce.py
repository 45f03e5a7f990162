import math

import pytest
import torch

from mmseg_uda.models.losses import pixel_weighted_cross_entropy


def test_by_hand():
    # pixel 0: logits (0, 0), label 1, weight 0.5 -> 0.5 * log 2
    # pixel 1: logits (log 3, 0), label 0, weight 1 -> log(4 / 3)
    # pixel 2: ignored (its weight does not matter)
    logits = torch.tensor([[[[0.0, math.log(3.0), 7.0]],
                            [[0.0, 0.0, 0.0]]]],
                          requires_grad=True)
    labels = torch.tensor([[[1, 0, 255]]])
    weights = torch.tensor([[[0.5, 1.0, 9.0]]])
    loss = pixel_weighted_cross_entropy(logits, labels, weights)
    expected = (0.5 * math.log(2.0) + math.log(4.0 / 3.0)) / 2
    assert loss.item() == pytest.approx(expected, rel=1e-6)
    loss.backward()
    assert logits.grad[..., 2].abs().sum() == 0
    # a zero weight removes a pixel's gradient but still counts in #valid
    logits.grad = None
    zero = pixel_weighted_cross_entropy(logits, labels,
                                        torch.tensor([[[0.0, 1.0, 1.0]]]))
    assert zero.item() == pytest.approx(math.log(4.0 / 3.0) / 2, rel=1e-6)


def test_all_ignored_and_shape_errors():
    logits = torch.randn(1, 3, 2, 2, requires_grad=True)
    labels = torch.full((1, 2, 2), 255)
    loss = pixel_weighted_cross_entropy(logits, labels, torch.ones(1, 2, 2))
    assert loss.item() == 0.0
    loss.backward()
    with pytest.raises(ValueError, match='agree'):
        pixel_weighted_cross_entropy(logits, torch.zeros(1, 2, 3).long(),
                                     torch.ones(1, 2, 3))
