"""Tiny on-disk datasets in the real layouts, shared by the tests.

Images are random BGR PNGs; labels are single-channel uint8 PNGs holding
train ids (plus one ignore pixel), written with the suffixes our dataset
classes and MMSeg's CityscapesDataset expect.
"""
import os
import os.path as osp

import cv2
import numpy as np

H, W = 6, 8


def write_pair(img_dir,
               seg_dir,
               name,
               seg_suffix,
               num_classes,
               seed=0,
               img_suffix='.png'):
    rng = np.random.default_rng(seed)
    os.makedirs(img_dir, exist_ok=True)
    img = rng.integers(0, 255, (H, W, 3), dtype=np.uint8)
    cv2.imwrite(osp.join(img_dir, name + img_suffix), img)
    label = None
    if seg_dir is not None:
        os.makedirs(seg_dir, exist_ok=True)
        label = rng.integers(0, num_classes, (H, W)).astype(np.uint8)
        label[0, 0] = 255
        cv2.imwrite(osp.join(seg_dir, name + seg_suffix), label)
    return img, label


def make_gta5(root, n=3):
    for i in range(n):
        write_pair(osp.join(root, 'images'),
                   osp.join(root, 'labels'),
                   f'{i:05d}',
                   '_labelTrainIds.png',
                   19,
                   seed=i)
        # The raw label next to the converted one must not be picked up.
        cv2.imwrite(osp.join(root, 'labels', f'{i:05d}.png'),
                    np.full((H, W), 7, np.uint8))
    return str(root)


def make_synthia(root, n=2):
    for i in range(n):
        for suffix, k in (('_labelTrainIds.png', 19), ('_labelTrainIds16.png',
                                                       16)):
            write_pair(osp.join(root, 'RGB'),
                       osp.join(root, 'GT', 'LABELS'),
                       f'{i:07d}',
                       suffix,
                       k,
                       seed=i)
    return str(root)


def make_nyuv2(root, n=2):
    for split in ('train', 'test'):
        for i in range(n):
            write_pair(osp.join(root, 'images', split),
                       osp.join(root, 'annotations', split),
                       f'{i + 1:04d}',
                       '.png',
                       40,
                       seed=i)
    return str(root)


def make_cityscapes(root, n=1, city='aachen'):
    """Cityscapes layout: leftImg8bit/{train,val} + gtFine labelTrainIds."""
    for split in ('train', 'val'):
        for i in range(n):
            write_pair(osp.join(root, 'leftImg8bit', split, city),
                       osp.join(root, 'gtFine', split, city),
                       f'{city}_{i:06d}_000019',
                       '_gtFine_labelTrainIds.png',
                       19,
                       seed=i,
                       img_suffix='_leftImg8bit.png')
    return str(root)
