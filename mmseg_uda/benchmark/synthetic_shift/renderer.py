"""Drawing one street scene of the synthetic benchmark: a camera above a
flat street (horizon, vanishing point, road and sidewalks converging to it,
facades and objects whose pixel size grows linearly with their distance
below the horizon), in a domain's :class:`~.styles.DomainStyle`.

Every sample draws from its own ``np.random.default_rng`` seeded with
``(seed, domain, split, index)`` (:func:`render_sample`), so the output
does not depend on the order or the number of worker processes.
"""
from dataclasses import replace
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from mmseg_uda.datasets.label_mapping import (CITYSCAPES_ID_TO_TRAINID,
                                              IGNORE_INDEX, map_ids)
from .styles import (BUILDING, CAR, DOMAIN_STYLES, EGO_VEHICLE, FENCE, PERSON,
                     POLE, ROAD, SIDEWALK, SKY, TARGET_PALETTES, TARGET_STYLES,
                     TRAFFIC_SIGN, VEGETATION, VOID_STATIC, DomainStyle, Range)

_DOMAIN_CODE = {'source': 0, 'target': 1}
_SPLIT_CODE = {'train': 0, 'val': 1}


def _uniform(rng: np.random.Generator, bounds: Range) -> float:
    return float(rng.uniform(bounds[0], bounds[1]))


def _randint(rng: np.random.Generator, bounds: Tuple[int, int]) -> int:
    return int(rng.integers(bounds[0], bounds[1] + 1))


class Region(NamedTuple):
    """A boolean mask restricted to its bounding box ``image[ys, xs]``."""
    mask: np.ndarray
    ys: slice
    xs: slice

    def crop(self, array: np.ndarray) -> np.ndarray:
        """The part of a full-image (H, W, ...) array under the box."""
        return array[self.ys, self.xs]

    def where(self, condition: np.ndarray) -> 'Region':
        """This region AND ``condition`` (an array of the box's shape)."""
        return Region(self.mask & condition, self.ys, self.xs)


def _noise_field(rng: np.random.Generator, height: int, width: int,
                 cell: int) -> np.ndarray:
    """Smooth zero-mean, unit-ish std noise, shape (H, W), float32.

    White noise on a ``cell``-pixel grid, bicubically upsampled.
    """
    grid = rng.standard_normal(
        (height // cell + 2, width // cell + 2)).astype(np.float32)
    return cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC)


class SceneRenderer:
    """Draw one street scene: a label map and an RGB image.

    Painter's algorithm, back to front: sky, far skyline, ground, facades /
    fences, sidewalk, road, objects sorted by distance, ego hood. Every
    primitive is rasterised as a boolean mask over its bounding box (cv2
    polygons or numpy expressions over pixel grids), never per pixel in
    Python.

    Args:
        rng (np.random.Generator): Source of all randomness of the sample.
        width (int): Image width W.
        height (int): Image height H.
        style (DomainStyle): Domain to render.
    """

    def __init__(self, rng: np.random.Generator, width: int, height: int,
                 style: DomainStyle) -> None:
        self.rng = rng
        self.w, self.h = width, height
        self.style = style
        self.label = np.zeros((height, width), np.uint8)
        self.image = np.zeros((height, width, 3), np.float32)
        self.ys, self.xs = np.mgrid[0:height, 0:width].astype(np.float32)
        self.palette = {
            k: self._jitter(v, style.palette_jitter)
            for k, v in style.palette.items()
        }
        # Multiplicative shading fields (target textures); all ones for the
        # flat source style.
        self.shade: Dict[str, np.ndarray] = {}
        if style.realistic:
            grain = rng.standard_normal((height, width)).astype(np.float32)
            smooth = _noise_field(rng, height, width, 8)
            leafy = _noise_field(rng, height, width, 2)
            self.shade = {
                'rough': 1.0 + 0.10 * smooth + 0.06 * grain,
                'leafy': 1.0 + 0.25 * leafy + 0.08 * grain,
                'smooth': 1.0 + 0.04 * smooth,
            }

    # ------------------------------------------------------------ helpers
    def _jitter(self, rgb: Sequence[float], std: float) -> np.ndarray:
        return np.clip(
            np.asarray(rgb, np.float32) + self.rng.normal(0, std, 3), 0, 255)

    def _box(self, x0: float, y0: float, x1: float,
             y1: float) -> Tuple[slice, slice]:
        """Slices of the pixels whose centres may lie in [x0, x1]x[y0, y1]."""
        xa = int(np.clip(np.floor(x0), 0, self.w))
        xb = int(np.clip(np.ceil(x1) + 1, 0, self.w))
        ya = int(np.clip(np.floor(y0), 0, self.h))
        yb = int(np.clip(np.ceil(y1) + 1, 0, self.h))
        return slice(ya, max(ya, yb)), slice(xa, max(xa, xb))

    def whole(self, mask: np.ndarray) -> Region:
        """Wrap a full-image (H, W) boolean mask."""
        return Region(mask, slice(0, self.h), slice(0, self.w))

    def _poly(self, points: Sequence[Tuple[float, float]]) -> Region:
        """Filled polygon with sub-pixel vertices."""
        # Only a guard for int32 fixed point: clipping vertices independently
        # would bend edges, so callers keep vertices within a few image sizes.
        pts = np.clip(np.asarray(points, np.float64), -1e6, 1e6)
        ys, xs = self._box(pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(),
                           pts[:, 1].max())
        canvas = np.zeros((ys.stop - ys.start, xs.stop - xs.start), np.uint8)
        if canvas.size:
            # Integer translation into the box keeps the rasterisation.
            pts = np.round((pts - [xs.start, ys.start]) * 16).astype(np.int32)
            cv2.fillPoly(canvas, [pts], 1, lineType=cv2.LINE_8, shift=4)
        return Region(canvas.astype(bool), ys, xs)

    def _rect(self, x0: float, y0: float, x1: float, y1: float) -> Region:
        return self._poly([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])

    def _ellipse(self, cx: float, cy: float, rx: float, ry: float) -> Region:
        rx, ry = max(rx, 0.5), max(ry, 0.5)
        ys, xs = self._box(cx - rx, cy - ry, cx + rx, cy + ry)
        gy, gx = np.mgrid[ys, xs].astype(np.float32)
        return Region(((gx - cx) / rx)**2 + ((gy - cy) / ry)**2 <= 1.0, ys, xs)

    def fill(self,
             region: Union[Region, np.ndarray],
             label_id: int,
             rgb: Sequence[float],
             texture: Optional[str] = 'smooth') -> None:
        """Paint a region with one label id and a (textured) colour.

        Args:
            region (Region | np.ndarray): Where to paint; a bare array is a
                full-image (H, W) boolean mask.
            label_id (int): Cityscapes label id written to the label map.
            rgb (Sequence[float]): Base colour.
            texture (str, optional): Shading field multiplied into the colour
                in the realistic style ('rough', 'leafy', 'smooth', None).
        """
        if not isinstance(region, Region):
            region = self.whole(region)
        mask = region.mask
        region.crop(self.label)[mask] = label_id
        colour = np.asarray(rgb, np.float32)
        image = region.crop(self.image)
        if texture is not None and texture in self.shade:
            shade = region.crop(self.shade[texture])
            image[mask] = shade[mask][:, None] * colour
        else:
            image[mask] = colour

    def shade_mask(self, region: Union[Region, np.ndarray],
                   factor: float) -> None:
        """Multiply the image colour (not the label) inside a region."""
        if not isinstance(region, Region):
            region = self.whole(region)
        region.crop(self.image)[region.mask] *= np.float32(factor)

    # ------------------------------------------------------------- scene
    def render(self) -> Tuple[np.ndarray, np.ndarray]:
        """Render the scene.

        Returns:
            tuple[np.ndarray, np.ndarray]: label ids (H, W) uint8 and the
            image (H, W, 3) RGB uint8.
        """
        rng, st = self.rng, self.style
        self.hy = self.h * _uniform(rng, st.horizon)
        self.vx = self.w * (0.5 +
                            rng.uniform(-st.vanish_jitter, st.vanish_jitter))
        self.road_half = _uniform(rng, st.road_half)
        self.walk_out = self.road_half + _uniform(rng, st.sidewalk)
        # Distance below the horizon (pixels) of every row, and the lateral
        # ground coordinate (cam) of every pixel below the horizon.
        self.s = self.ys - self.hy
        below = self.s > 0.5
        self.lateral = np.where(below,
                                (self.xs - self.vx) / np.maximum(self.s, 0.5),
                                np.inf)

        self._sky()
        self._skyline()
        self.fill(below, VEGETATION, self.palette[VEGETATION], 'leafy')
        for side in (-1, 1):
            if rng.random() < st.wall_prob:
                self._facade(side)
        for side in (-1, 1):
            if rng.random() < st.fence_prob:
                self._fence(side)
        self._ground()
        self._objects()
        if st.ego_hood:
            self._ego_hood()
        image = self._photometric() if st.realistic else self.image
        return self.label, np.clip(np.round(image), 0, 255).astype(np.uint8)

    def _sky(self) -> None:
        sky = np.ones((self.h, self.w), bool)
        self.fill(sky, SKY, self.palette[SKY], None)
        if self.style.realistic:
            # Brighter towards the horizon, plus soft clouds.
            ramp = 1.0 + 0.12 * np.clip(self.ys / max(self.hy, 1.0), 0, 1)
            clouds = _noise_field(self.rng, self.h, self.w, 16)
            self.image *= (ramp + 0.06 * clouds)[..., None]

    def _skyline(self) -> None:
        """Far buildings: rectangles standing on the horizon, with gaps."""
        x = 0.0
        while x < self.w:
            width = self.w * self.rng.uniform(0.06, 0.2)
            if self.rng.random() > 0.15:
                top = self.hy - self.h * _uniform(self.rng,
                                                  self.style.far_height)
                rgb = self._jitter(self.palette[BUILDING],
                                   self.style.instance_jitter)
                self.fill(self._rect(x, top, x + width, self.hy + 1), BUILDING,
                          rgb, 'rough')
            x += width

    def _wall_coords(self, lateral: float) -> Tuple[np.ndarray, np.ndarray]:
        """Coordinates on the vertical plane at lateral offset ``lateral``.

        For column x the plane's ground line is ``s = (x - vx) / lateral``
        pixels below the horizon. Returns (depth, height) per pixel: depth
        ~ 1 / s in cam (focal length ~ W), height above ground in cam.
        """
        s_col = np.maximum((self.xs - self.vx) / lateral, 1e-3)
        depth = self.w / s_col
        height = (self.hy + s_col - self.ys) / s_col
        return depth, height

    def _plane_quad(self, lateral: float, s_a: float, s_b: float,
                    top: float) -> List[Tuple[float, float]]:
        """Quad of a vertical plane between ground scales s_a < s_b."""
        xa, xb = self.vx + lateral * s_a, self.vx + lateral * s_b
        return [(xa, self.hy - top * s_a), (xb, self.hy - top * s_b),
                (xb, self.hy + s_b), (xa, self.hy + s_a)]

    def _facade(self, side: int) -> None:
        """Building facades along the outer sidewalk edge on one side."""
        rng, st = self.rng, self.style
        lateral = side * self.walk_out
        ground = self.h - self.hy
        s_far = ground * rng.uniform(0.04, 0.15)
        # Near end beyond the image so the facade reaches the border.
        s_near = 2.0 * max(self.w, self.h)
        cuts = np.sort(
            rng.uniform(np.log(s_far), np.log(ground * 1.5),
                        rng.integers(0, 3)))
        edges = [s_far] + [float(np.exp(c)) for c in cuts] + [s_near]
        depth, height = self._wall_coords(lateral)
        for s_a, s_b in zip(edges[:-1], edges[1:]):
            top = _uniform(rng, st.wall_height)
            seg = self._poly(self._plane_quad(lateral, s_a, s_b, top))
            rgb = self._jitter(self.palette[BUILDING], st.instance_jitter)
            self.fill(seg, BUILDING, rgb, 'rough')
            # Windows: a periodic grid in (depth, height) wall coordinates.
            period = rng.uniform(2.0, 3.5)
            phase = rng.uniform(0, 1)
            d, hh = seg.crop(depth), seg.crop(height)
            floor = np.mod(hh / 2.0, 1.0)
            windows = seg.where((np.mod(d / period + phase, 1.0) < 0.5)
                                & (floor > 0.35) & (floor < 0.8) & (hh > 1.2)
                                & (hh < top - 0.3))
            self.fill(windows, BUILDING,
                      self._jitter(st.window_rgb, st.instance_jitter),
                      'smooth')
            if st.realistic:
                # Floor slabs: darker horizontal bands.
                self.shade_mask(seg.where(floor < 0.12), 0.75)

    def _fence(self, side: int) -> None:
        """A low fence along part of the outer sidewalk edge."""
        lateral = side * self.walk_out
        ground = self.h - self.hy
        s_far = ground * self.rng.uniform(0.05, 0.3)
        if self.rng.random() < 0.5:
            s_near = 2.0 * max(self.w, self.h)  # reaches the image border
        else:
            s_near = s_far + ground * self.rng.uniform(0.3, 1.2)
        fence = self._poly(self._plane_quad(lateral, s_far, s_near, 0.7))
        self.fill(fence, FENCE, self.palette[FENCE], 'rough')
        depth, height = self._wall_coords(lateral)
        # Vertical slats under a top rail: darker gaps between slats.
        gaps = fence.where((np.mod(fence.crop(depth) / 0.4, 1.0) < 0.45)
                           & (fence.crop(height) < 0.55))
        self.shade_mask(gaps, 0.7)

    def _ground(self) -> None:
        """Sidewalks and road: wedges converging to the vanishing point."""
        below = self.s > 0.5
        walk = below & (np.abs(self.lateral) <= self.walk_out)
        self.fill(walk, SIDEWALK, self.palette[SIDEWALK], 'rough')
        road = below & (np.abs(self.lateral) <= self.road_half)
        self.fill(road, ROAD, self.palette[ROAD], 'rough')
        if self.style.realistic:
            # Lane markings: dashed centre line and solid edge lines.
            depth = self.w / np.maximum(self.s, 0.5)
            white = np.array([235, 235, 230], np.float32)
            centre = (road & (np.abs(self.lateral) < 0.04)
                      & (np.mod(depth / 6.0, 1.0) < 0.5))
            edges = road & (
                np.abs(np.abs(self.lateral) - self.road_half + 0.12) < 0.035)
            self.fill(centre | edges, ROAD, white, 'smooth')
            # A cast shadow of one facade over part of the street.
            side = 1 if self.rng.random() < 0.5 else -1
            inner = self.rng.uniform(-self.road_half, self.road_half)
            lat = self.lateral * side
            shadow = below & (lat >= inner) & (lat <= self.walk_out + 0.1)
            self.shade_mask(shadow, self.rng.uniform(0.55, 0.8))

    def _objects(self) -> None:
        """Trees, poles (with signs), people and cars, far to near."""
        rng, st = self.rng, self.style
        ground = self.h - self.hy
        objects = []

        def place(kind, lateral_range, near=1.0):
            s = ground * rng.uniform(0.12, near)
            side = 1 if rng.random() < 0.5 else -1
            objects.append((s, kind, side * _uniform(rng, lateral_range)))

        inner, outer = self.road_half, self.walk_out
        for _ in range(_randint(rng, st.num_trees)):
            place('tree', (outer - 0.3, outer - 0.1), 0.9)
        for _ in range(_randint(rng, st.num_poles)):
            place('pole', (inner + 0.1, inner + 0.3), 0.9)
        for _ in range(_randint(rng, st.num_people)):
            place('person', (inner + 0.25, max(inner + 0.3, outer - 0.25)),
                  0.95)
        for _ in range(_randint(rng, st.num_cars)):
            # Lanes and parked cars: anywhere across the road.
            place('car', (0.0, max(inner - 0.45, 0.1)), 0.75)
        # Drawn only where the style has void objects, so that a style
        # without them makes exactly the random draws of generator 1.0.0.
        if st.num_void[1] > 0:
            for _ in range(_randint(rng, st.num_void)):
                place('void', (inner + 0.1, outer + 0.8), 0.95)
        # Far objects first so that near ones occlude them.
        objects.sort(key=lambda o: o[0])
        for s, kind, lateral in objects:
            scale = s * _uniform(rng, st.object_scale)
            getattr(self, f'_draw_{kind}')(self.vx + lateral * s, self.hy + s,
                                           scale)

    def _draw_tree(self, x: float, y: float, k: float) -> None:
        veg = self.palette[VEGETATION]
        self.fill(self._rect(x - 0.06 * k, y - 1.6 * k, x + 0.06 * k, y),
                  VEGETATION, self._jitter(veg * 0.6, 3), 'rough')
        for _ in range(3):
            cx = x + self.rng.uniform(-0.4, 0.4) * k
            cy = y - self.rng.uniform(1.9, 2.5) * k
            self.fill(
                self._ellipse(cx, cy,
                              self.rng.uniform(0.5, 0.8) * k,
                              self.rng.uniform(0.5, 0.8) * k), VEGETATION,
                self._jitter(veg, self.style.instance_jitter), 'leafy')

    def _draw_pole(self, x: float, y: float, k: float) -> None:
        half = max(0.8, 0.05 * k)
        self.fill(self._rect(x - half, y - 2.7 * k, x + half, y), POLE,
                  self.palette[POLE], 'smooth')
        # Most poles carry a sign; its shape varies.
        if self.rng.random() < 0.7:
            cy, r = y - self.rng.uniform(1.8, 2.3) * k, 0.22 * k
            shape = self.rng.integers(0, 3)
            if shape == 0:
                mask = self._rect(x - r, cy - r, x + r, cy + r)
            elif shape == 1:
                mask = self._ellipse(x, cy, r, r)
            else:
                mask = self._poly([(x - r, cy + r), (x + r, cy + r),
                                   (x, cy - r)])
            self.fill(mask, TRAFFIC_SIGN, self.palette[TRAFFIC_SIGN], 'smooth')

    def _draw_person(self, x: float, y: float, k: float) -> None:
        st = self.style
        hp, wp = 1.15 * k, 0.35 * k
        legs = self._jitter(
            st.clothes_rgbs[self.rng.integers(len(st.clothes_rgbs))],
            st.instance_jitter)
        torso = self._jitter(
            st.clothes_rgbs[self.rng.integers(len(st.clothes_rgbs))],
            st.instance_jitter)
        stride = self.rng.uniform(0.0, 0.15) * hp
        for dx in (-1, 1):
            foot = x + dx * (0.15 * wp + stride / 2)
            self.fill(
                self._poly([(x + dx * 0.05 * wp - 0.12 * wp, y - 0.47 * hp),
                            (x + dx * 0.05 * wp + 0.12 * wp, y - 0.47 * hp),
                            (foot + 0.12 * wp, y), (foot - 0.12 * wp, y)]),
                PERSON, legs, 'smooth')
        self.fill(self._ellipse(x, y - 0.63 * hp, 0.5 * wp, 0.2 * hp), PERSON,
                  torso, 'smooth')
        self.fill(self._ellipse(x, y - 0.9 * hp, 0.09 * hp, 0.09 * hp), PERSON,
                  self._jitter(st.skin_rgb, st.instance_jitter), 'smooth')

    def _draw_car(self, x: float, y: float, k: float) -> None:
        st = self.style
        w, h = 1.25 * k, 1.0 * k
        body = self._jitter(st.car_rgbs[self.rng.integers(len(st.car_rgbs))],
                            st.instance_jitter)
        dark = np.array([20, 20, 22], np.float32)
        for dx in (-1, 1):
            self.fill(
                self._rect(x + dx * 0.45 * w - 0.09 * w, y - 0.2 * h,
                           x + dx * 0.45 * w + 0.09 * w, y), CAR, dark,
                'smooth')
        self.fill(
            self._rect(x - 0.5 * w, y - 0.6 * h, x + 0.5 * w, y - 0.1 * h),
            CAR, body, 'smooth')
        self.fill(
            self._poly([(x - 0.45 * w, y - 0.6 * h),
                        (x + 0.45 * w, y - 0.6 * h), (x + 0.33 * w, y - h),
                        (x - 0.33 * w, y - h)]), CAR, body, 'smooth')
        # Rear window and lights keep the car label.
        self.fill(
            self._poly([(x - 0.38 * w, y - 0.63 * h),
                        (x + 0.38 * w, y - 0.63 * h),
                        (x + 0.29 * w, y - 0.95 * h),
                        (x - 0.29 * w, y - 0.95 * h)]), CAR, st.window_rgb,
            'smooth')
        for dx in (-1, 1):
            self.fill(
                self._rect(x + dx * 0.4 * w - 0.07 * w, y - 0.5 * h,
                           x + dx * 0.4 * w + 0.07 * w, y - 0.4 * h), CAR,
                (200, 20, 20), 'smooth')

    def _draw_void(self, x: float, y: float, k: float) -> None:
        """Unlabelled clutter (bins, kiosks, hoardings) in any colour."""
        w = self.rng.uniform(0.4, 1.6) * k
        h = self.rng.uniform(0.4, 1.8) * k
        shape = self.rng.integers(0, 3)
        if shape == 0:
            mask = self._rect(x - w / 2, y - h, x + w / 2, y)
        elif shape == 1:
            mask = self._ellipse(x, y - h / 2, w / 2, h / 2)
        else:
            top = self.rng.uniform(0.3, 0.9) * w / 2
            mask = self._poly([(x - w / 2, y), (x + w / 2, y),
                               (x + top, y - h), (x - top, y - h)])
        self.fill(mask, VOID_STATIC, self.rng.uniform(30, 225, 3), 'smooth')

    def _ego_hood(self) -> None:
        """Cityscapes-like ego-vehicle hood at the bottom (ignored id)."""
        depth = self.h * self.rng.uniform(0.06, 0.1)
        hood = self._ellipse(self.w * 0.5, self.h + 0.4 * depth, self.w * 0.75,
                             1.4 * depth)
        self.fill(hood, EGO_VEHICLE, (30, 32, 36), 'smooth')
        # A reflection band on the hood.
        glare = hood.where(
            np.abs(hood.crop(self.ys) - (self.h - 0.6 * depth)) < 1.5)
        self.shade_mask(glare, 2.5)

    def _photometric(self) -> np.ndarray:
        """Camera effects: lighting, vignetting, blur, sensor noise."""
        rng = self.rng
        image = self.image / 255.0
        gamma = rng.uniform(0.75, 1.35)
        gain = rng.uniform(0.8, 1.25)
        temperature = rng.normal(1.0, 0.05, 3).astype(np.float32)
        image = np.power(np.clip(image, 0, None), gamma) * gain * temperature
        radius2 = (((self.xs - self.w / 2) / (self.w / 2))**2 +
                   ((self.ys - self.h / 2) / (self.h / 2))**2) / 2.0
        image *= (1.0 - rng.uniform(0.15, 0.45) * radius2)[..., None]
        image = cv2.GaussianBlur(image.astype(np.float32), (0, 0),
                                 rng.uniform(0.4, 1.0))
        image = image * 255.0 + rng.normal(0, rng.uniform(2.0, 5.0),
                                           image.shape)
        return image


def render_sample(
        seed: int,
        domain: str,
        split: str,
        index: int,
        size: Tuple[int, int],
        source_void: bool = True,
        target_palette: str = 'swapped') -> Tuple[np.ndarray, np.ndarray]:
    """Render one sample deterministically.

    Args:
        seed (int): Benchmark seed.
        domain (str): 'source' or 'target'.
        split (str): 'train' or 'val'.
        index (int): Sample index within the split.
        size (tuple[int, int]): (W, H).
        source_void (bool): Draw the source's void clutter (False: the
            generator 1.0.0 sample).
        target_palette (str): One of ``TARGET_PALETTES``.

    Returns:
        tuple[np.ndarray, np.ndarray]: Cityscapes label ids (H, W) uint8 and
        the image (H, W, 3) BGR uint8.
    """
    rng = np.random.default_rng(
        [seed, _DOMAIN_CODE[domain], _SPLIT_CODE[split], index])
    style = DOMAIN_STYLES[domain]
    if target_palette not in TARGET_PALETTES:
        raise ValueError(f'target_palette must be one of {TARGET_PALETTES}, '
                         f'got {target_palette!r}')
    if domain == 'target' and target_palette != 'swapped':
        style = TARGET_STYLES[target_palette]
    if not source_void:
        style = replace(style, num_void=(0, 0))
    label, rgb = SceneRenderer(rng, size[0], size[1], style).render()
    return label, np.ascontiguousarray(rgb[..., ::-1])


def to_train_ids(label_ids: np.ndarray) -> np.ndarray:
    """Cityscapes label ids (H, W) -> train ids (H, W), others -> 255."""
    return map_ids(label_ids, CITYSCAPES_ID_TO_TRAINID, IGNORE_INDEX)
