"""MIC's patch mask: block structure, border patches, drop ratio."""
import pytest
import torch

from mmseg_uda.models.utils.patch_mask import patch_mask


def test_blocks_are_constant_and_border_patches_cut():
    g = torch.Generator().manual_seed(0)
    mask = patch_mask((2, 10, 7), patch_size=4, ratio=0.5, generator=g)
    assert mask.shape == (2, 1, 10, 7)
    assert set(mask.unique().tolist()) <= {0.0, 1.0}
    for i in range(0, 10, 4):
        for j in range(0, 7, 4):
            block = mask[:, :, i:i + 4, j:j + 4]
            # one value per block and image
            assert (block == block[:, :, :1, :1]).all()


def test_drop_ratio():
    g = torch.Generator().manual_seed(0)
    mask = patch_mask((64, 64, 64), patch_size=8, ratio=0.7, generator=g)
    # 4096 patches: the kept share is 0.3 within a few standard errors
    assert abs(mask.mean().item() - 0.3) < 0.03
    assert patch_mask((1, 8, 8), ratio=0.0).all()
    assert not patch_mask((1, 8, 8), ratio=1.0).any()


def test_bad_settings():
    with pytest.raises(ValueError, match='ratio'):
        patch_mask((1, 4, 4), ratio=1.5)
    with pytest.raises(ValueError, match='patch_size'):
        patch_mask((1, 4, 4), patch_size=0)
