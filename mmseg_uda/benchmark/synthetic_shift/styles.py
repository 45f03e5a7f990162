"""What each domain of the synthetic benchmark looks like: the classes drawn
(Cityscapes label ids), and a :class:`DomainStyle` per domain (palette,
textures, lighting, layout statistics) that :mod:`.renderer` draws from.
"""
from dataclasses import dataclass, replace
from typing import Dict, Tuple

import numpy as np

from mmseg_uda.datasets.label_mapping import (CITYSCAPES_CLASSES,
                                              CITYSCAPES_ID_TO_TRAINID)

# Cityscapes label ids of the drawn classes.
ROAD, SIDEWALK, BUILDING, FENCE, POLE = 7, 8, 11, 13, 17
TRAFFIC_SIGN, VEGETATION, SKY, PERSON, CAR = 20, 21, 23, 24, 26
# Cityscapes "ego vehicle": the target's car hood, mapped to ignore (255).
EGO_VEHICLE = 1
# Cityscapes "static": the source's void clutter, mapped to ignore (255).
VOID_STATIC = 4

USED_LABEL_IDS: Tuple[int, ...] = (ROAD, SIDEWALK, BUILDING, FENCE, POLE,
                                   TRAFFIC_SIGN, VEGETATION, SKY, PERSON, CAR)
USED_CLASSES: Tuple[str, ...] = tuple(
    CITYSCAPES_CLASSES[CITYSCAPES_ID_TO_TRAINID[i]] for i in USED_LABEL_IDS)
ALLOWED_LABEL_IDS: Tuple[int,
                         ...] = (USED_LABEL_IDS + (EGO_VEHICLE, VOID_STATIC))

RGB = Tuple[int, int, int]
Range = Tuple[float, float]


@dataclass(frozen=True)
class DomainStyle:
    """Layout statistics and appearance of one domain.

    Lengths marked "cam" are in camera heights: a ground point ``s`` pixels
    below the horizon at lateral offset ``X`` cam is drawn at
    ``x = vx + X * s``, and an object of height ``h`` cam standing there is
    ``h * s`` pixels tall (pinhole camera over a flat ground plane).
    """
    horizon: Range  # horizon row as a fraction of the image height
    vanish_jitter: float  # vanishing point x offset, fraction of the width
    road_half: Range  # half road width (cam)
    sidewalk: Range  # sidewalk width (cam)
    wall_prob: float  # probability of a facade on each side
    wall_height: Range  # facade height (cam)
    far_height: Range  # far skyline height, fraction of the image height
    fence_prob: float  # probability of a fence on each side
    num_cars: Tuple[int, int]  # inclusive ranges of object counts
    num_people: Tuple[int, int]
    num_poles: Tuple[int, int]
    num_trees: Tuple[int, int]
    num_void: Tuple[int, int]  # void clutter objects (ignored label)
    object_scale: Range  # multiplies every object size
    palette: Dict[int, RGB]  # label id -> base RGB colour
    window_rgb: RGB
    car_rgbs: Tuple[RGB, ...]
    clothes_rgbs: Tuple[RGB, ...]
    skin_rgb: RGB
    palette_jitter: float  # std of the per-image colour shift per class
    instance_jitter: float  # std of the per-instance colour shift
    realistic: bool  # textures, lane markings, lighting, blur, noise
    ego_hood: bool


# Source: flat, saturated "game" colours.
SOURCE_STYLE = DomainStyle(horizon=(0.40, 0.50),
                           vanish_jitter=0.06,
                           road_half=(1.1, 1.6),
                           sidewalk=(0.7, 1.1),
                           wall_prob=0.75,
                           wall_height=(3.0, 9.0),
                           far_height=(0.10, 0.30),
                           fence_prob=0.4,
                           num_cars=(1, 3),
                           num_people=(1, 3),
                           num_poles=(1, 3),
                           num_trees=(1, 2),
                           num_void=(2, 5),
                           object_scale=(1.0, 1.2),
                           palette={
                               ROAD: (80, 80, 88),
                               SIDEWALK: (190, 176, 160),
                               BUILDING: (172, 92, 70),
                               FENCE: (150, 150, 60),
                               POLE: (232, 200, 40),
                               TRAFFIC_SIGN: (222, 40, 40),
                               VEGETATION: (52, 152, 52),
                               SKY: (110, 170, 240),
                           },
                           window_rgb=(60, 80, 122),
                           car_rgbs=((200, 30, 30), (30, 60, 200),
                                     (235, 235, 235), (30, 30, 30), (240, 200,
                                                                     20)),
                           clothes_rgbs=((200, 40, 160), (40, 180, 200),
                                         (240, 120, 20), (90, 40, 160)),
                           skin_rgb=(230, 180, 150),
                           palette_jitter=3.0,
                           instance_jitter=6.0,
                           realistic=False,
                           ego_hood=False)

# Target: a "real" camera. Several classes take a colour closer to ANOTHER
# class's source colour than to their own (road ~ source sidewalk, sidewalk
# ~ source road, pole ~ source road, vegetation ~ source fence, fence halfway
# between source building and road), so appearance alone misleads a
# source-trained model; the layout still tells the classes apart.
TARGET_STYLE = DomainStyle(horizon=(0.33, 0.43),
                           vanish_jitter=0.10,
                           road_half=(0.8, 1.2),
                           sidewalk=(0.6, 1.0),
                           wall_prob=0.85,
                           wall_height=(4.0, 12.0),
                           far_height=(0.08, 0.22),
                           fence_prob=0.4,
                           num_cars=(2, 5),
                           num_people=(1, 4),
                           num_poles=(2, 4),
                           num_trees=(1, 3),
                           num_void=(0, 0),
                           object_scale=(0.8, 1.0),
                           palette={
                               ROAD: (178, 166, 152),
                               SIDEWALK: (88, 88, 98),
                               BUILDING: (175, 100, 85),
                               FENCE: (125, 105, 80),
                               POLE: (92, 92, 96),
                               TRAFFIC_SIGN: (40, 76, 196),
                               VEGETATION: (112, 138, 60),
                               SKY: (165, 195, 230),
                           },
                           window_rgb=(196, 206, 218),
                           car_rgbs=((150, 150, 155), (70, 70, 75),
                                     (25, 25, 30), (40, 50, 90), (150, 40,
                                                                  40)),
                           clothes_rgbs=((40, 40, 48), (70, 60, 50),
                                         (30, 40, 70), (110, 105, 100)),
                           skin_rgb=(190, 150, 130),
                           palette_jitter=10.0,
                           instance_jitter=10.0,
                           realistic=True,
                           ego_hood=True)


def camera_palette(palette: Dict[int, RGB]) -> Dict[int, RGB]:
    """Each class's source colour as a dull "camera" would record it: 15%
    towards its own grey level, then a little darker and warmer. Every class
    stays nearest its own source colour (unlike ``TARGET_STYLE``'s palette)."""
    out = {}
    for label_id, rgb in palette.items():
        rgb = np.asarray(rgb, dtype=np.float64)
        grey = rgb.mean()
        dull = 0.85 * rgb + 0.15 * grey
        out[label_id] = tuple(
            int(round(v))
            for v in np.clip(0.92 * dull + np.array([8.0, 5.0, 0.0]), 0, 255))
    return out


#: ``target_palette`` choices: the benchmark's palette, in which several
#: classes look like other classes of the source ('swapped', the default
#: since 1.0.0), the source palette as a camera would record it
#: ('consistent'), keeping every other part of the target (textures,
#: lighting, blur, noise, hood, layout), or the source's whole look
#: ('source': flat source colours, no camera effects, no hood), so that only
#: the target's layout and object statistics differ: the mildest shift, a
#: control on which a source model is already close to the oracle.
TARGET_STYLE_CONSISTENT = replace(TARGET_STYLE,
                                  palette=camera_palette(SOURCE_STYLE.palette))
TARGET_STYLE_SOURCE_LOOK = replace(
    TARGET_STYLE, **{
        field: getattr(SOURCE_STYLE, field)
        for field in ('palette', 'window_rgb', 'car_rgbs', 'clothes_rgbs',
                      'skin_rgb', 'palette_jitter', 'instance_jitter',
                      'realistic', 'ego_hood')
    })
TARGET_STYLES: Dict[str, DomainStyle] = {
    'swapped': TARGET_STYLE,
    'consistent': TARGET_STYLE_CONSISTENT,
    'source': TARGET_STYLE_SOURCE_LOOK
}
TARGET_PALETTES = tuple(TARGET_STYLES)

DOMAIN_STYLES: Dict[str, DomainStyle] = {
    'source': SOURCE_STYLE,
    'target': TARGET_STYLE
}
