"""The synthetic domain-shift benchmark (SPEC section 7): a street-scene
source domain and a target domain that differs from it the way a game
differs from a city, small enough to train on a CPU.

Both domains share the scene *geometry* model (:mod:`.renderer`), so
layout cues transfer. The source is rendered in clean flat colours; the
target changes the palette (road and sidewalk swap brightness, vegetation
takes the fence's source colour, poles the road's...), adds textures
(asphalt grain, lane markings, floor bands on facades, clouds), lighting
(gain, gamma, colour temperature, shadows, vignetting), blur and sensor
noise, an ego-vehicle hood (label id 1, ignored) and different layout
statistics (horizon height, road width, object counts and sizes)
(:mod:`.styles`).

The source also holds void objects (label id 4 "static", ignored): clutter
in arbitrary colours on and beside the sidewalks, as GTA5's unlabelled
pixels (about 11% of GTA5, global-local alignment paper, Sec. 4.1). They
give source background exclusion something to exclude; ``source_void=False``
renders the benchmark without them (generator 1.0.0, byte for byte).

:mod:`.generator` writes it in the GTA5 and Cityscapes layouts, so the
training package reads it with its ordinary datasets: nothing in
``mmseg_uda.datasets`` knows this benchmark.
"""
from .generator import (GENERATOR_VERSION, META_FILE, SOURCE_DIR, TARGET_CITY,
                        TARGET_DIR, expected_files, generate_synthetic_shift,
                        sample_paths)
from .renderer import SceneRenderer, render_sample, to_train_ids
from .styles import (ALLOWED_LABEL_IDS, DOMAIN_STYLES, EGO_VEHICLE, ROAD,
                     SIDEWALK, SOURCE_STYLE, TARGET_PALETTES, TARGET_STYLE,
                     TARGET_STYLE_CONSISTENT, TARGET_STYLE_SOURCE_LOOK,
                     TARGET_STYLES, USED_CLASSES, USED_LABEL_IDS, VOID_STATIC,
                     DomainStyle, camera_palette)

__all__ = [
    'GENERATOR_VERSION', 'META_FILE', 'SOURCE_DIR', 'TARGET_CITY',
    'TARGET_DIR', 'expected_files', 'generate_synthetic_shift', 'sample_paths',
    'SceneRenderer', 'render_sample', 'to_train_ids', 'ALLOWED_LABEL_IDS',
    'DOMAIN_STYLES', 'EGO_VEHICLE', 'ROAD', 'SIDEWALK', 'SOURCE_STYLE',
    'TARGET_PALETTES', 'TARGET_STYLE', 'TARGET_STYLE_CONSISTENT',
    'TARGET_STYLE_SOURCE_LOOK', 'TARGET_STYLES', 'USED_CLASSES',
    'USED_LABEL_IDS', 'VOID_STATIC', 'DomainStyle', 'camera_palette'
]
