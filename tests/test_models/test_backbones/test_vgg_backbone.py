import pytest
import torch
import torch.nn.functional as F
from mmseg.registry import MODELS

import mmseg_uda  # noqa: F401


def _conv_indices(stage_convs):
    """torchvision layout: conv, relu per conv, then one max-pool/stage."""
    idx, out = 0, []
    for n in stage_convs:
        for _ in range(n):
            out.append(idx)
            idx += 2
        idx += 1
    return out


def test_registered_and_torchvision_names():
    assert MODELS.get('VGG') is not None
    for depth, convs in ((16, (2, 2, 3, 3, 3)), (19, (2, 2, 4, 4, 4))):
        model = MODELS.build(dict(type='VGG', depth=depth))
        keys = set(model.state_dict())
        expected = {
            f'features.{i}.{p}'
            for i in _conv_indices(convs)
            for p in ('weight', 'bias')
        }
        assert keys == expected
    # spot-check against torchvision's documented VGG-16 indices
    assert _conv_indices((2, 2, 3, 3, 3))[:4] == [0, 2, 5, 7]
    assert 'fc6.weight' in MODELS.build(
        dict(type='VGG', with_fc=True, fc_channels=8)).state_dict()


def test_pool_and_fc_outputs():
    model = MODELS.build(
        dict(type='VGG',
             depth=16,
             out_indices=(2, 3, 4, 5),
             with_fc=True,
             fc_channels=16))
    model.eval()
    with torch.no_grad():
        p3, p4, p5, fc7 = model(torch.rand(1, 3, 64, 96))
    assert p3.shape == (1, 256, 8, 12)
    assert p4.shape == (1, 512, 4, 6)
    assert p5.shape == (1, 512, 2, 3)
    assert fc7.shape == (1, 16, 2, 3)


def test_ceil_mode_pooling():
    model = MODELS.build(
        dict(type='VGG', out_indices=(2, ), pool_ceil_mode=True))
    with torch.no_grad():
        (p3, ) = model(torch.rand(1, 3, 36, 20))
    # 36 -> 18 -> 9 -> 5 ; 20 -> 10 -> 5 -> 3 (rounding up)
    assert p3.shape[2:] == (5, 3)


def test_out_relus_match_hand_computation():
    model = MODELS.build(
        dict(type='VGG',
             depth=19,
             out_relus=('relu1_1', 'relu2_1', 'relu3_1', 'relu4_1',
                        'relu5_1')))
    x = torch.rand(2, 3, 32, 32)
    outs = model(x)
    f = model.features
    relu1_1 = F.relu(F.conv2d(x, f[0].weight, f[0].bias, padding=1))
    relu1_2 = F.relu(F.conv2d(relu1_1, f[2].weight, f[2].bias, padding=1))
    relu2_1 = F.relu(
        F.conv2d(F.max_pool2d(relu1_2, 2), f[5].weight, f[5].bias, padding=1))
    torch.testing.assert_close(outs[0], relu1_1)
    torch.testing.assert_close(outs[1], relu2_1)
    assert [o.shape[1] for o in outs] == [64, 128, 256, 512, 512]
    assert [o.shape[-1] for o in outs] == [32, 16, 8, 4, 2]
    # differentiable despite in-place ReLUs (perceptual loss use)
    sum(o.mean() for o in outs).backward()
    assert f[0].weight.grad is not None


def test_out_relus_order_follows_request():
    model = MODELS.build(
        dict(type='VGG', depth=16, out_relus=('relu2_2', 'relu1_1')))
    a, b = model(torch.rand(1, 3, 16, 16))
    assert a.shape[1] == 128 and b.shape[1] == 64


def test_bad_arguments():
    with pytest.raises(ValueError, match='relu9_9'):
        MODELS.build(dict(type='VGG', out_relus=('relu9_9', )))
    with pytest.raises(ValueError, match='with_fc'):
        MODELS.build(dict(type='VGG', out_indices=(5, )))
    with pytest.raises(KeyError, match='depth'):
        MODELS.build(dict(type='VGG', depth=17))


def test_loads_torchvision_classifier_as_conv():
    torch.manual_seed(0)
    src = MODELS.build(dict(type='VGG', depth=16))
    sd = dict(src.state_dict())
    w6, b6 = torch.randn(8, 512 * 7 * 7), torch.randn(8)
    w7, b7 = torch.randn(8, 8), torch.randn(8)
    sd.update({
        'classifier.0.weight': w6,
        'classifier.0.bias': b6,
        'classifier.3.weight': w7,
        'classifier.3.bias': b7
    })
    dst = MODELS.build(dict(type='VGG', depth=16, with_fc=True, fc_channels=8))
    dst.load_state_dict(sd, strict=True)
    # A Linear on the flattened 7x7 pool5 equals fc6 applied without
    # padding on that 7x7 map: checks the reshape order.
    pool5 = torch.randn(2, 512, 7, 7)
    conv = F.conv2d(pool5, dst.fc6.weight, dst.fc6.bias)[:, :, 0, 0]
    torch.testing.assert_close(conv,
                               F.linear(pool5.flatten(1), w6, b6),
                               rtol=1e-4,
                               atol=1e-4)
    h = torch.randn(2, 8)
    torch.testing.assert_close(
        F.conv2d(h[:, :, None, None], dst.fc7.weight, dst.fc7.bias)[:, :, 0,
                                                                    0],
        F.linear(h, w7, b7))


def test_loads_ssd_reduced_fc():
    src = MODELS.build(dict(type='VGG', depth=16))
    sd = dict(src.state_dict())
    sd['features.31.weight'] = torch.randn(8, 512, 3, 3)
    sd['features.31.bias'] = torch.randn(8)
    sd['features.33.weight'] = torch.randn(8, 8, 1, 1)
    sd['features.33.bias'] = torch.randn(8)
    dst = MODELS.build(
        dict(type='VGG',
             with_fc=True,
             fc_channels=8,
             fc6_kernel_size=3,
             fc6_dilation=6))
    # MMEngine's loader (used by init_cfg=Pretrained) takes the same path
    from mmengine.runner.checkpoint import load_state_dict
    load_state_dict(dst, dict(sd), strict=True)
    assert torch.equal(dst.fc6.weight, sd['features.31.weight'])
    assert torch.equal(dst.fc7.bias, sd['features.33.bias'])
    assert dst.fc6.padding == (6, 6)
