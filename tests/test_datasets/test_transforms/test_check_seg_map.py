import numpy as np
import pytest

from mmseg.registry import TRANSFORMS


def results(label, shape=(4, 5)):
    return dict(gt_seg_map=label,
                ori_shape=shape,
                img_shape=(8, 10),
                seg_map_path='/data/x_labelTrainIds.png',
                img_path='/data/x.png')


def test_check_seg_map_accepts_valid_labels():
    check = TRANSFORMS.build(dict(type='CheckSegMap', num_classes=3))
    label = np.array([[0, 1, 2, 255, 0]] * 4, dtype=np.uint8)
    out = check(results(label))
    assert out['gt_seg_map'] is label
    assert 'num_classes=3' in repr(check)


def test_check_seg_map_rejects_bad_values():
    check = TRANSFORMS.build(dict(type='CheckSegMap', num_classes=3))
    label = np.zeros((4, 5), np.uint8)
    label[1, 1], label[2, 2] = 3, 254
    with pytest.raises(ValueError) as err:
        check(results(label))
    message = str(err.value)
    assert '/data/x_labelTrainIds.png' in message
    assert '[3, 254]' in message and '0..2' in message


def test_check_seg_map_rejects_shape_mismatch():
    check = TRANSFORMS.build(dict(type='CheckSegMap', num_classes=3))
    with pytest.raises(ValueError, match=r'x_labelTrainIds.png.*\(4, 6\)'):
        check(results(np.zeros((4, 6), np.uint8)))
    # Compared with the resized image when asked to.
    check_resized = TRANSFORMS.build(
        dict(type='CheckSegMap', num_classes=3, shape_key='img_shape'))
    assert check_resized(results(np.zeros((8, 10), np.uint8)))
    with pytest.raises(KeyError, match='LoadAnnotations'):
        check(dict(ori_shape=(4, 5), seg_map_path='y.png'))
    # no label file at all (image-only inference): nothing to check
    image_only = dict(ori_shape=(4, 5), img_path='z.png')
    assert check(dict(image_only)) == image_only
    assert check(dict(image_only, seg_map_path=None))['img_path'] == 'z.png'
    with pytest.raises(ValueError, match='num_classes'):
        TRANSFORMS.build(dict(type='CheckSegMap', num_classes=0))
