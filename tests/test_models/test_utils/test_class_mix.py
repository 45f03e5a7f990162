"""ClassMix masks, mixing and the confidence weight on tiny examples by
hand."""
import pytest
import torch

from mmseg_uda.models.utils.class_mix import (class_mix_mask,
                                              confidence_weight, mix)

LABEL = torch.tensor([[0, 0, 1, 1],
                      [2, 2, 3, 255],
                      [2, 2, 3, 255]])


def test_mask_is_half_of_the_present_classes():
    # classes 0, 1, 2, 3 present (255 is void): 2 of them are pasted
    counts = torch.zeros(4)
    g = torch.Generator().manual_seed(0)
    for _ in range(200):
        mask = class_mix_mask(LABEL, generator=g)
        pasted = torch.unique(LABEL[mask])
        assert pasted.numel() == 2 and 255 not in pasted.tolist()
        # every pixel of a pasted class is in the mask, no other pixel
        assert torch.equal(mask, torch.isin(LABEL, pasted))
        counts[pasted] += 1
    # each class is drawn about half of the time
    assert ((counts / 200 - 0.5).abs() < 0.15).all()


def test_odd_class_count_rounds_up_and_void_only_gives_empty_mask():
    label = torch.tensor([[0, 1, 2]])
    assert class_mix_mask(label).sum() == 2
    assert not class_mix_mask(torch.full((2, 2), 255)).any()
    with pytest.raises(ValueError, match='H, W'):
        class_mix_mask(torch.zeros(1, 2, 2, dtype=torch.long))


def test_mix_images_and_labels_by_hand():
    mask = torch.tensor([[[True, False], [False, True]]])
    src_img = torch.ones(1, 3, 2, 2)
    tgt_img = torch.zeros(1, 3, 2, 2)
    mixed = mix(mask, src_img, tgt_img)
    assert torch.equal(mixed[0, 1], torch.tensor([[1., 0.], [0., 1.]]))
    src_lbl = torch.tensor([[[5, 5], [5, 5]]])
    pseudo = torch.tensor([[[1, 2], [3, 4]]])
    assert torch.equal(mix(mask, src_lbl, pseudo),
                       torch.tensor([[[5, 2], [3, 5]]]))
    with pytest.raises(ValueError, match='differ'):
        mix(mask, src_img, torch.zeros(1, 3, 2, 3))


def test_confidence_weight_by_hand():
    # image 0: top probabilities 0.99, 0.97, 0.5, 0.96 -> 2 of 4 above tau
    p = torch.tensor([0.99, 0.97, 0.5, 0.96])
    probs = torch.stack([p, 1 - p]).reshape(1, 2, 2, 2)
    assert confidence_weight(probs).tolist() == [0.5]
    assert confidence_weight(probs, threshold=0.4).tolist() == [1.0]
