import pytest
import torch
import torch.nn.functional as F

from mmseg.registry import MODELS

import mmseg_uda  # noqa: F401

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
# VGG-19 conv widths per stage and the number of convs per stage.
STAGES = [(64, 2), (128, 2), (256, 4), (512, 4), (512, 4)]


def _reference_features(loss, x):
    """relu{1..5}_1 of VGG-19 with F calls on the module's own weights."""
    x = ((x + 1) / 2 - MEAN) / STD
    convs = [m for m in loss.vgg.features if isinstance(m, torch.nn.Conv2d)]
    feats, i = [], 0
    for stage, (_, n) in enumerate(STAGES):
        if stage > 0:
            x = F.max_pool2d(x, 2, 2)
        for k in range(n):
            x = F.relu(F.conv2d(x, convs[i].weight, convs[i].bias,
                                padding=1))
            i += 1
            if k == 0:
                feats.append(x)
    return feats


def test_against_an_independent_vgg19():
    torch.manual_seed(0)
    loss = MODELS.build(dict(type='PerceptualLoss'))
    pred = torch.rand(2, 3, 32, 32) * 2 - 1
    target = torch.rand(2, 3, 32, 32) * 2 - 1
    weights = [1 / 32, 1 / 16, 1 / 8, 1 / 4, 1.0]
    with torch.no_grad():
        fp = _reference_features(loss, pred)
        ft = _reference_features(loss, target)
    expected = sum(w * (a - b).abs().mean()
                   for w, a, b in zip(weights, fp, ft))
    assert loss(pred, target).item() == pytest.approx(expected.item(),
                                                      rel=1e-4)
    # relu5_1 of a 32x32 image is 2x2 after four pools
    assert [f.shape[-1] for f in fp] == [32, 16, 8, 4, 2]


def test_hand_value_with_known_first_layer():
    # Only relu1_1; conv1_1 copies the normalised R channel into channel 0
    # and outputs 0 elsewhere, so the loss is |relu(a) - relu(b)| / 64.
    loss = MODELS.build(
        dict(type='PerceptualLoss', layers=['relu1_1'], layer_weights=[0.5],
             loss_weight=2.0))
    conv = loss.vgg.features[0]
    with torch.no_grad():
        conv.weight.zero_()
        conv.bias.zero_()
        conv.weight[0, 0, 1, 1] = 1.0
    pred = torch.full((1, 3, 4, 4), 0.5)     # R in [0, 1]: 0.75
    target = torch.full((1, 3, 4, 4), -0.8)  # R in [0, 1]: 0.1
    a = (0.75 - 0.485) / 0.229   # > 0
    b = max((0.1 - 0.485) / 0.229, 0.0)  # negative -> relu 0
    expected = 2.0 * 0.5 * abs(a - b) / 64
    assert loss(pred, target).item() == pytest.approx(expected, rel=1e-5)


def test_vgg_is_frozen_but_passes_gradients():
    loss = MODELS.build(dict(type='PerceptualLoss'))
    assert not any(p.requires_grad for p in loss.parameters())
    loss.train()
    assert not loss.vgg.training
    pred = (torch.rand(1, 3, 16, 16) * 2 - 1).requires_grad_()
    loss(pred, torch.zeros(1, 3, 16, 16)).backward()
    assert pred.grad is not None and pred.grad.abs().sum() > 0
    assert all(p.grad is None for p in loss.parameters())


def test_torchvision_parameter_names():
    loss = MODELS.build(dict(type='PerceptualLoss'))
    names = [k for k in loss.vgg.state_dict()]
    # relu5_1 is the 13th conv: torchvision index 28; nothing deeper needed
    assert 'features.0.weight' in names and 'features.28.weight' in names


def test_bad_inputs():
    loss = MODELS.build(dict(type='PerceptualLoss', layers=['relu1_1'],
                             layer_weights=[1.0]))
    with pytest.raises(ValueError, match='shapes differ'):
        loss(torch.zeros(1, 3, 4, 4), torch.zeros(1, 3, 4, 5))
    with pytest.raises(ValueError, match='RGB'):
        loss(torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 4, 4))
    with pytest.raises(ValueError, match='equal length'):
        MODELS.build(dict(type='PerceptualLoss', layer_weights=[1.0]))
