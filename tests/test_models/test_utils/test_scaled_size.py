import pytest

from mmseg_uda.models.utils import scaled_size


def test_scaled_size_rounds_half_up_to_the_divisor():
    # half of the demo source 320x180: 90 -> 92 (22.5 multiples of 4 -> 23)
    assert scaled_size((180, 320), 0.5, 4) == (92, 160)
    assert scaled_size((20, 36), 0.5, 4) == (12, 20)  # 10 -> 12, 18 -> 20
    assert scaled_size((21, 37), 1.0, 1) == (21, 37)
    assert scaled_size((3, 5), 0.5, 4) == (4, 4)  # never below the divisor


def test_scaled_size_refuses_divisor_zero():
    with pytest.raises(ValueError, match='divisor'):
        scaled_size((8, 8), 1.0, 0)
