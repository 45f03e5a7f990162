import importlib
import sys

import pytest
import torch

import mmseg_uda  # noqa: F401  (installs the shim on import)
from mmseg_uda.utils import mmcv_lite_compat

lite_only = pytest.mark.skipif(
    mmcv_lite_compat.full_mmcv_available(),
    reason='the shim is inactive when full mmcv is installed')


@lite_only
def test_shim_is_active_and_mmseg_imports():
    assert mmcv_lite_compat.is_installed()
    # The four mmseg modules that import mmcv.ops unconditionally.
    for name in ('mmseg.models.utils.point_sample',
                 'mmseg.utils.mask_classification',
                 'mmseg.models.losses.focal_loss',
                 'mmseg.models.decode_heads.san_head'):
        importlib.import_module(name)


@lite_only
def test_point_sample_is_the_real_pure_pytorch_op():
    from mmcv.ops import point_sample
    feat = torch.arange(16.).view(1, 1, 4, 4)
    # Point (0.5, 0.5) in [0, 1] coords is the image centre: mean of the
    # four central pixels 5, 6, 9, 10 with align_corners=False.
    out = point_sample(feat, torch.tensor([[[0.5, 0.5]]]))
    assert out.shape == (1, 1, 1)
    assert out.item() == pytest.approx(7.5)


@lite_only
def test_compiled_ops_fail_with_a_clear_message():
    with pytest.raises(ModuleNotFoundError, match='full mmcv'):
        from mmcv.ops import CrissCrossAttention  # noqa: F401
    from mmcv.ops import sigmoid_focal_loss
    with pytest.raises(RuntimeError, match="mmcv._ext"):
        sigmoid_focal_loss(torch.zeros(1, 2), torch.zeros(1))


@lite_only
def test_models_needing_compiled_ops_fail_at_build_only():
    from mmseg.registry import MODELS
    with pytest.raises(RuntimeError, match='mmcv-full'):
        MODELS.build(
            dict(type='CCHead', in_channels=4, channels=4, num_classes=2))


def test_install_is_a_no_op_with_full_mmcv(monkeypatch):
    monkeypatch.setattr(mmcv_lite_compat, 'full_mmcv_available',
                        lambda: True)
    before = sys.modules.get('mmcv.ops')
    assert mmcv_lite_compat.install() is False
    assert sys.modules.get('mmcv.ops') is before
