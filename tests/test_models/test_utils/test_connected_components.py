"""Connected components against scipy.ndimage.label (partition equality)."""
import numpy as np
import pytest
import torch
from scipy import ndimage

from mmseg_uda.models.utils import (compact_components, component_sizes,
                                    connected_components, largest_components)

STRUCTURES = {
    8: np.ones((3, 3), int),
    4: ndimage.generate_binary_structure(2, 1)
}


def _scipy_per_class(labels: np.ndarray, valid: np.ndarray,
                     connectivity: int) -> np.ndarray:
    """scipy labelling of every class of one map; 0 = invalid."""
    out = np.zeros(labels.shape, int)
    offset = 0
    for c in np.unique(labels[valid]):
        mask = (labels == c) & valid
        lab, num = ndimage.label(mask, structure=STRUCTURES[connectivity])
        out[mask] = lab[mask] + offset
        offset += num
    return out


def _assert_same_partition(ours: np.ndarray, ref: np.ndarray,
                           valid: np.ndarray) -> None:
    """Equal partitions of the valid pixels: the id pairs form a bijection."""
    assert ((ours >= 0) == valid).all()
    pairs = set(zip(ours[valid].tolist(), ref[valid].tolist()))
    assert len({a for a, _ in pairs}) == len(pairs)
    assert len({b for _, b in pairs}) == len(pairs)


def _random_map(gen, n, h, w, num_classes, smooth):
    """Random class map; ``smooth`` makes larger, irregular regions."""
    if smooth:
        noise = torch.randn(n,
                            num_classes,
                            h // 4 + 1,
                            w // 4 + 1,
                            generator=gen)
        labels = torch.nn.functional.interpolate(noise,
                                                 size=(h, w),
                                                 mode='bilinear').argmax(1)
    else:
        labels = torch.randint(0, num_classes, (n, h, w), generator=gen)
    valid = torch.rand(n, h, w, generator=gen) > 0.15
    return labels, valid


@pytest.mark.parametrize('connectivity', [8, 4])
@pytest.mark.parametrize('smooth', [False, True])
def test_partition_equals_scipy_on_random_class_maps(connectivity, smooth):
    gen = torch.Generator().manual_seed(connectivity + 10 * smooth)
    for _ in range(5):
        labels, valid = _random_map(gen, 3, 19, 27, 4, smooth)
        comp = connected_components(labels, valid, connectivity)
        assert comp.shape == labels.shape and comp.dtype == torch.long
        for i in range(3):
            ref = _scipy_per_class(labels[i].numpy(), valid[i].numpy(),
                                   connectivity)
            _assert_same_partition(comp[i].numpy(), ref, valid[i].numpy())


def test_binary_masks_and_representatives():
    gen = torch.Generator().manual_seed(3)
    mask = torch.rand(2, 16, 16, generator=gen) > 0.55
    comp = connected_components(mask)  # valid defaults to the mask
    for i in range(2):
        ref, _ = ndimage.label(mask[i].numpy(), structure=np.ones((3, 3)))
        _assert_same_partition(comp[i].numpy(), ref, mask[i].numpy())
        # the value is the flat index of a pixel of the same component
        flat = comp[i].flatten()
        roots = flat[flat >= 0]
        assert (flat[roots] == roots).all()


def test_diagonal_and_long_snake_components():
    # diagonal neighbours join under 8- but not under 4-connectivity
    eye = torch.eye(5, dtype=torch.bool)[None]
    assert connected_components(eye, connectivity=8)[eye].unique().numel() \
        == 1
    assert connected_components(eye, connectivity=4)[eye].unique().numel() \
        == 5
    # a one-pixel-wide serpentine covering the map: one component whose
    # geodesic length is ~ H * W / 2 (propagation alone would need that
    # many iterations; hooking + pointer jumping need a handful)
    snake = torch.zeros(1, 41, 61, dtype=torch.bool)
    snake[0, ::2] = True
    for y in range(1, 41, 2):
        snake[0, y, 60 if y % 4 == 1 else 0] = True
    comp = connected_components(snake)
    assert comp[snake].unique().numel() == 1
    assert (comp[~snake] == -1).all()


def test_classes_separate_touching_regions():
    labels = torch.tensor([[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 3, 3]]])
    comp = connected_components(labels)
    ids, sizes = compact_components(comp)
    assert sizes.tolist() == [4, 4, 4]
    assert ids[0].tolist() == [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 2, 2]]


def test_sizes_compaction_and_topk_match_scipy():
    gen = torch.Generator().manual_seed(5)
    labels, valid = _random_map(gen, 2, 24, 30, 3, True)
    comp = connected_components(labels, valid)
    ids, sizes = compact_components(comp)
    # compact ids cover 0..K-1 over the batch and count the pixels
    assert ids.max().item() + 1 == sizes.numel()
    assert torch.equal(torch.bincount(ids[ids >= 0]), sizes)
    per_root = component_sizes(comp)
    classes = torch.tensor([0, 2])
    k = 3
    reps, top = largest_components(comp, labels, classes, k)
    assert reps.shape == top.shape == (2, 2, k)
    for i in range(2):
        flat = comp[i].flatten()
        for j, c in enumerate(classes.tolist()):
            mask = ((labels[i] == c) & valid[i]).numpy()
            lab, num = ndimage.label(mask, structure=np.ones((3, 3)))
            ref = sorted(np.bincount(lab[mask])[1:].tolist(), reverse=True)
            ref = (ref + [0] * k)[:k]
            assert top[i, j].tolist() == ref
            for r, s in zip(reps[i, j].tolist(), top[i, j].tolist()):
                if s == 0:
                    assert r == -1
                    continue
                assert (flat == r).sum().item() == s == per_root[i, r]
                assert labels[i].flatten()[r].item() == c


def test_topk_with_more_requested_than_pixels():
    labels = torch.tensor([[[1, 0], [0, 1]]])
    reps, sizes = largest_components(connected_components(labels, None, 4),
                                     labels, torch.tensor([1]), 6)
    assert sizes.tolist() == [[[1, 1, 0, 0, 0, 0]]]
    assert reps.tolist() == [[[0, 3, -1, -1, -1, -1]]]  # ties: raster order


def test_rejects_bad_input():
    with pytest.raises(ValueError, match='N, H, W'):
        connected_components(torch.zeros(4, 4))
    with pytest.raises(ValueError, match='4 or 8'):
        connected_components(torch.zeros(1, 4, 4), connectivity=6)
