import numpy as np
import pytest

from mmseg.registry import TRANSFORMS


def test_relabel_sets_given_classes_to_background():
    t = TRANSFORMS.build(dict(type='RelabelSegMap', classes=(2, 10)))
    seg = np.array([[0, 2, 10], [255, 2, 5]], np.uint8)
    out = t(dict(gt_seg_map=seg.copy()))['gt_seg_map']
    np.testing.assert_array_equal(
        out, np.array([[0, 255, 255], [255, 255, 5]], np.uint8))
    assert out.dtype == np.uint8


def test_relabel_to_another_value():
    t = TRANSFORMS.build(dict(type='RelabelSegMap', classes=[1], to=0))
    out = t(dict(gt_seg_map=np.array([[1, 2]], np.uint8)))['gt_seg_map']
    np.testing.assert_array_equal(out, [[0, 2]])


@pytest.mark.parametrize('kwargs', [
    dict(classes=()),
    dict(classes='2'),
    dict(classes=(2, 300)),
    dict(classes=(2, ), to=-1),
])
def test_relabel_rejects_bad_arguments(kwargs):
    with pytest.raises((TypeError, ValueError)):
        TRANSFORMS.build(dict(type='RelabelSegMap', **kwargs))
