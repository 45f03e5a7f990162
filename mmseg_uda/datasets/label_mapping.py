"""Label spaces of the supported datasets and a vectorised id mapper.

The tables follow SPEC section 6:

* Cityscapes / GTA5 label id -> the 19 Cityscapes train ids.
* SYNTHIA-RAND-CITYSCAPES class id -> the 19 train ids, or -> the 16-class
  space (the 19 classes without terrain, truck and train).
* NYUv2-40 class names (the converter writes 0..39 + 255 directly).

Every id absent from a table maps to the ignore index (255).
"""
from typing import Dict, List, Tuple

import numpy as np

IGNORE_INDEX = 255

# Cityscapes label id -> train id (also used for GTA5, whose labels are
# Cityscapes label ids).
CITYSCAPES_ID_TO_TRAINID: Dict[int, int] = {
    label_id: train_id
    for train_id, label_id in enumerate((7, 8, 11, 12, 13, 17, 19, 20, 21, 22,
                                         23, 24, 25, 26, 27, 28, 31, 32, 33))
}
GTA5_ID_TO_TRAINID = CITYSCAPES_ID_TO_TRAINID

# SYNTHIA class id -> 19 Cityscapes train ids. Terrain (16), truck (18) and
# train (20) never occur in SYNTHIA-RAND-CITYSCAPES but keep their slots.
SYNTHIA_ID_TO_TRAINID: Dict[int, int] = {
    synthia_id: train_id
    for train_id, synthia_id in enumerate((3, 4, 2, 21, 5, 7, 15, 9, 6, 16, 1,
                                           10, 17, 8, 18, 19, 20, 12, 11))
}

# SYNTHIA class id -> the 16-class space used by the 16-class protocol.
SYNTHIA_ID_TO_TRAINID16: Dict[int, int] = {
    synthia_id: train_id
    for train_id, synthia_id in enumerate((3, 4, 2, 21, 5, 7, 15, 9, 6, 1, 10,
                                           17, 8, 19, 12, 11))
}

CITYSCAPES_CLASSES = ('road', 'sidewalk', 'building', 'wall', 'fence', 'pole',
                      'traffic light', 'traffic sign', 'vegetation', 'terrain',
                      'sky', 'person', 'rider', 'car', 'truck', 'bus', 'train',
                      'motorcycle', 'bicycle')

CITYSCAPES_PALETTE = [[128, 64, 128], [244, 35, 232], [70, 70, 70],
                      [102, 102, 156], [190, 153, 153], [153, 153, 153],
                      [250, 170, 30], [220, 220, 0], [107, 142, 35],
                      [152, 251, 152], [70, 130, 180], [220, 20, 60],
                      [255, 0, 0], [0, 0, 142], [0, 0, 70], [0, 60, 100],
                      [0, 80, 100], [0, 0, 230], [119, 11, 32]]

# The 16-class space drops these three classes of the 19.
_DROPPED_IN_16 = ('terrain', 'truck', 'train')

# 19 train id -> 16-class id (dropped classes -> ignore); lets a 16-class
# evaluation reuse 19-class labels.
TRAINID_TO_TRAINID16: Dict[int, int] = {}
for _train_id, _name in enumerate(CITYSCAPES_CLASSES):
    if _name not in _DROPPED_IN_16:
        TRAINID_TO_TRAINID16[_train_id] = len(TRAINID_TO_TRAINID16)

SYNTHIA16_CLASSES: Tuple[str, ...] = tuple(name for name in CITYSCAPES_CLASSES
                                           if name not in _DROPPED_IN_16)
SYNTHIA16_PALETTE: List[List[int]] = [
    CITYSCAPES_PALETTE[i] for i in sorted(TRAINID_TO_TRAINID16)
]

NYUV2_40_CLASSES = ('wall', 'floor', 'cabinet', 'bed', 'chair', 'sofa',
                    'table', 'door', 'window', 'bookshelf', 'picture',
                    'counter', 'blinds', 'desk', 'shelves', 'curtain',
                    'dresser', 'pillow', 'mirror', 'floor mat', 'clothes',
                    'ceiling', 'books', 'refridgerator', 'television', 'paper',
                    'towel', 'shower curtain', 'box', 'whiteboard', 'person',
                    'night stand', 'toilet', 'sink', 'lamp', 'bathtub', 'bag',
                    'otherstructure', 'otherfurniture', 'otherprop')


def bit_interleaved_palette(num_classes: int) -> List[List[int]]:
    """Deterministic, well-separated colours for ``num_classes`` labels.

    Class ``c`` (counted from 1 so that no class is black) spreads its bits
    over the colour channels: bit ``3k + j`` of ``c`` sets bit ``7 - k`` of
    channel ``j`` (j = 0, 1, 2 for R, G, B). Neighbouring ids thus differ in
    the most significant bits and get clearly different colours.

    Args:
        num_classes (int): Number of colours.

    Returns:
        list[list[int]]: ``num_classes`` RGB triplets in 0..255.
    """
    palette = []
    for label in range(1, num_classes + 1):
        rgb = [0, 0, 0]
        value, shift = label, 7
        while value:
            for channel in range(3):
                rgb[channel] |= ((value >> channel) & 1) << shift
            value >>= 3
            shift -= 1
        palette.append(rgb)
    return palette


NYUV2_40_PALETTE: List[List[int]] = bit_interleaved_palette(40)


def map_ids(label: np.ndarray,
            mapping: Dict[int, int],
            ignore_index: int = IGNORE_INDEX) -> np.ndarray:
    """Map the ids of a label map through a lookup table.

    ``out[p] = mapping[label[p]]`` if ``label[p]`` is a key of ``mapping``,
    else ``ignore_index``. Implemented with one lookup table indexed by the
    whole array (no per-pixel Python loop).

    Args:
        label (np.ndarray): Integer label map of any shape, e.g. (H, W).
        mapping (dict[int, int]): Source id -> target id, ids >= 0 and
            targets in 0..255.
        ignore_index (int): Value for ids missing from ``mapping``.

    Returns:
        np.ndarray: uint8 array of the same shape as ``label``.
    """
    label = np.asarray(label)
    if label.dtype.kind not in 'iu':
        raise TypeError(f'map_ids expects an integer label map, got dtype '
                        f'{label.dtype}')
    if not 0 <= ignore_index <= 255:
        raise ValueError(f'ignore_index must be in 0..255, got '
                         f'{ignore_index}')
    keys = np.fromiter(mapping.keys(), dtype=np.int64, count=len(mapping))
    values = np.fromiter(mapping.values(), dtype=np.int64, count=len(mapping))
    if keys.size and keys.min() < 0:
        raise ValueError(f'mapping keys must be >= 0, got {keys.min()}')
    if values.size and (values.min() < 0 or values.max() > 255):
        raise ValueError('mapping values must fit in uint8 (0..255)')
    max_id = int(label.max()) if label.size else 0
    max_key = int(keys.max()) if keys.size else 0
    lut = np.full(max(max_id, max_key) + 1, ignore_index, dtype=np.uint8)
    lut[keys] = values
    # Negative ids cannot index the table; they are never valid classes.
    if label.dtype.kind == 'i' and label.size and label.min() < 0:
        out = np.full(label.shape, ignore_index, dtype=np.uint8)
        valid = label >= 0
        out[valid] = lut[label[valid]]
        return out
    return lut[label]
