import numpy as np
import pytest

from mmseg_uda.datasets import label_mapping as lm
from mmseg_uda.datasets.label_mapping import map_ids


def brute_force_map(label, mapping, ignore_index=255):
    out = np.empty(label.shape, dtype=np.uint8)
    for pos, value in np.ndenumerate(label):
        out[pos] = mapping.get(int(value), ignore_index)
    return out


@pytest.mark.parametrize('dtype,high,mapping', [
    (np.uint8, 256, lm.CITYSCAPES_ID_TO_TRAINID),
    (np.uint16, 30, lm.SYNTHIA_ID_TO_TRAINID),
    (np.uint16, 65535, lm.SYNTHIA_ID_TO_TRAINID16),
    (np.int32, 40, lm.CITYSCAPES_ID_TO_TRAINID),
])
def test_map_ids_matches_brute_force(dtype, high, mapping):
    rng = np.random.default_rng(0)
    label = rng.integers(0, high, size=(7, 9)).astype(dtype)
    label[0, :3] = [7, 8, 3]  # make sure some ids hit the table
    out = map_ids(label, mapping)
    assert out.dtype == np.uint8 and out.shape == label.shape
    np.testing.assert_array_equal(out, brute_force_map(label, mapping))


def test_map_ids_hand_values_and_edge_cases():
    label = np.array([[7, 33, 0], [26, 255, 34]], dtype=np.uint8)
    # 7 road -> 0, 33 bicycle -> 18, 26 car -> 13, the rest is void.
    expected = np.array([[0, 18, 255], [13, 255, 255]], dtype=np.uint8)
    np.testing.assert_array_equal(map_ids(label, lm.CITYSCAPES_ID_TO_TRAINID),
                                  expected)
    np.testing.assert_array_equal(
        map_ids(np.array([-1, 7]), lm.CITYSCAPES_ID_TO_TRAINID), [255, 0])
    np.testing.assert_array_equal(
        map_ids(np.array([1, 2]), {2: 5}, ignore_index=9), [9, 5])
    with pytest.raises(TypeError, match='integer'):
        map_ids(np.zeros((2, 2), np.float32), {0: 0})
    with pytest.raises(ValueError, match='uint8'):
        map_ids(np.zeros((2, 2), np.uint8), {0: 300})


def test_tables_are_consistent():
    for table, n in [(lm.CITYSCAPES_ID_TO_TRAINID, 19),
                     (lm.SYNTHIA_ID_TO_TRAINID, 19),
                     (lm.SYNTHIA_ID_TO_TRAINID16, 16)]:
        assert sorted(table.values()) == list(range(n))
    # Hand-checked entries of SPEC section 6.
    assert lm.SYNTHIA_ID_TO_TRAINID[8] == 13  # car
    assert lm.SYNTHIA_ID_TO_TRAINID[16] == 9  # terrain
    assert lm.SYNTHIA_ID_TO_TRAINID16[1] == 9  # sky
    assert lm.SYNTHIA_ID_TO_TRAINID16[11] == 15  # bicycle
    # A SYNTHIA id names the same class in the 19 and the 16 space.
    for synthia_id, id16 in lm.SYNTHIA_ID_TO_TRAINID16.items():
        id19 = lm.SYNTHIA_ID_TO_TRAINID[synthia_id]
        assert lm.CITYSCAPES_CLASSES[id19] == lm.SYNTHIA16_CLASSES[id16]
        assert lm.TRAINID_TO_TRAINID16[id19] == id16
    assert set(lm.CITYSCAPES_CLASSES) - set(lm.SYNTHIA16_CLASSES) == {
        'terrain', 'truck', 'train'
    }
    assert len(lm.SYNTHIA16_PALETTE) == 16
    assert lm.SYNTHIA16_PALETTE[9] == lm.CITYSCAPES_PALETTE[10]  # sky
    assert len(lm.NYUV2_40_CLASSES) == 40
    assert lm.NYUV2_40_CLASSES[0] == 'wall'
    assert lm.NYUV2_40_CLASSES[39] == 'otherprop'


def test_bit_interleaved_palette():
    palette = lm.bit_interleaved_palette(40)
    assert len({tuple(c) for c in palette}) == 40
    assert all(0 <= v <= 255 for c in palette for v in c)
    # Class 0 uses label 1 -> bit 0 -> MSB of red; label 9 = 0b001001 sets
    # bit 0 of both 3-bit groups -> red bits 7 and 6.
    assert palette[0] == [128, 0, 0]
    assert palette[8] == [128 + 64, 0, 0]
    assert lm.NYUV2_40_PALETTE == palette
