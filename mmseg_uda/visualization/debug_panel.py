"""Draw ``DebugMap`` lists as one readable image grid (the UDA panels).

Layout, top to bottom: for each domain with maps, a header bar, a row of
column titles, then one row per sample; at the bottom a legend of the
class colours (black = ignored) and the heat colour bar. Every cell has
the size of the domain's input scaled to ``cell_width``.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from torch import Tensor

from mmseg_uda.structures import DebugMap

_FONT = cv2.FONT_HERSHEY_SIMPLEX
_SCALE = 0.4
_LINE = 14  # px per text line
_TITLE_LINES = 2
_WHITE = (255, 255, 255)
_BLACK = (0, 0, 0)


def _heat(values: np.ndarray) -> np.ndarray:
    """(H, W) in [0, 1] -> RGB uint8, blue (0) .. red (1)."""
    u8 = (np.clip(values, 0, 1) * 255).round().astype(np.uint8)
    return cv2.applyColorMap(u8, cv2.COLORMAP_JET)[..., ::-1]


def render_map(m: DebugMap, index: int, mean: Tensor, std: Tensor,
               input_is_rgb: bool, palette: Sequence[Sequence[int]],
               ignore_index: int = 255) -> np.ndarray:
    """Sample ``index`` of one map as an (H, W, 3) RGB uint8 image.

    Args:
        m (DebugMap): The map.
        index (int): Sample in the batch.
        mean, std (Tensor): The data preprocessor's normalisation, (3,)
            in the input's channel order (kind ``'input'``).
        input_is_rgb (bool): Whether G's input channels are RGB (the
            preprocessor's ``bgr_to_rgb``); else BGR.
        palette: RGB colour per class id (kind ``'label'``).
        ignore_index (int): Label id drawn black.
    """
    x = m.data[index].detach().float().cpu()
    if m.kind == 'input':
        img = x * std.view(3, 1, 1).cpu() + mean.view(3, 1, 1).cpu()
        if not input_is_rgb:
            img = img.flip(0)
        return img.clamp(0, 255).round().byte().permute(1, 2, 0).numpy()
    if m.kind == 'rgb':
        return (x.clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()
    if m.kind == 'heat':
        return _heat(x.numpy())
    label = x.long().numpy()
    colours = np.zeros((256, 3), np.uint8)
    colours[:len(palette)] = np.asarray(palette, np.uint8)[:256]
    valid = (label >= 0) & (label < len(palette)) & (label != ignore_index)
    out = colours[np.where(valid, label, 0)]
    out[~valid] = _BLACK
    return out


def _resize(img: np.ndarray, size: Tuple[int, int], nearest: bool):
    h, w = size
    if img.shape[:2] == (h, w):
        return img
    return cv2.resize(
        img, (w, h),
        interpolation=cv2.INTER_NEAREST if nearest else cv2.INTER_AREA)


def _text_lines(text: str, width: int, lines: int) -> List[str]:
    """Greedy word wrap of ``text`` into at most ``lines`` lines."""
    out, cur = [], ''
    for word in text.split():
        trial = f'{cur} {word}'.strip()
        if cur and cv2.getTextSize(trial, _FONT, _SCALE, 1)[0][0] > width:
            out.append(cur)
            cur = word
        else:
            cur = trial
    out.append(cur)
    return out[:lines]


def _put_lines(canvas: np.ndarray, lines: List[str], x: int, y: int):
    for i, line in enumerate(lines):
        cv2.putText(canvas, line, (x + 3, y + (i + 1) * _LINE - 3), _FONT,
                    _SCALE, _BLACK, 1, cv2.LINE_AA)


def _legend(classes: Sequence[str], palette: Sequence[Sequence[int]],
            width: int) -> np.ndarray:
    """Class swatches (wrapped to ``width``) and the heat colour bar."""
    items = [(name, tuple(int(c) for c in palette[i]))
             for i, name in enumerate(classes)] + [('ignored', _BLACK)]
    rows, row, x = [], [], 0
    for name, colour in items:
        w = 16 + cv2.getTextSize(name, _FONT, _SCALE, 1)[0][0] + 12
        if row and x + w > width:
            rows.append(row)
            row, x = [], 0
        row.append((x, name, colour))
        x += w
    rows.append(row)
    bar_h = 2 * _LINE
    canvas = np.full((len(rows) * _LINE + 4 + bar_h, width, 3), 255,
                     np.uint8)
    for r, row in enumerate(rows):
        y = r * _LINE + 2
        for x, name, colour in row:
            cv2.rectangle(canvas, (x + 2, y + 2), (x + 12, y + _LINE - 3),
                          colour, -1)
            cv2.putText(canvas, name, (x + 16, y + _LINE - 4), _FONT, _SCALE,
                        _BLACK, 1, cv2.LINE_AA)
    y = len(rows) * _LINE + 4
    bar_w = min(256, width // 2)
    canvas[y + 2:y + _LINE - 2, 4:4 + bar_w] = _heat(
        np.linspace(0, 1, bar_w)[None].repeat(_LINE - 4, 0))
    cv2.putText(canvas, 'heat maps: 0', (4, y + 2 * _LINE - 3), _FONT,
                _SCALE, _BLACK, 1, cv2.LINE_AA)
    cv2.putText(canvas, '1', (bar_w - 4, y + 2 * _LINE - 3), _FONT, _SCALE,
                _BLACK, 1, cv2.LINE_AA)
    return canvas


def draw_debug_panel(maps: List[DebugMap],
                     mean: Tensor,
                     std: Tensor,
                     input_is_rgb: bool,
                     classes: Sequence[str],
                     palette: Sequence[Sequence[int]],
                     ignore_index: int = 255,
                     cell_width: int = 256,
                     step: Optional[int] = None
                     ) -> Tuple[np.ndarray, Dict[str, List[str]]]:
    """Draw the maps of one step as an RGB grid.

    Returns:
        tuple: the panel (H, W, 3) uint8 RGB and its layout, the column
        titles of each domain (``{'source': [...], 'target': [...]}``).
    """
    if not maps:
        raise ValueError('draw_debug_panel: no maps to draw')
    if len(palette) < len(classes):
        raise ValueError(f'draw_debug_panel: {len(classes)} classes but a '
                         f'palette of {len(palette)} colours')
    columns: Dict[str, List[DebugMap]] = {}
    for m in maps:
        columns.setdefault(m.domain, []).append(m)
    width = cell_width * max(len(c) for c in columns.values())
    title_h = _TITLE_LINES * _LINE + 2
    blocks = []
    for domain, cols in columns.items():
        n = cols[0].data.shape[0]
        if any(c.data.shape[0] != n for c in cols):
            raise ValueError(f'draw_debug_panel: {domain} maps have batch '
                             f'sizes {[c.data.shape[0] for c in cols]}')
        h_in, w_in = cols[0].data.shape[-2:]
        cell_h = max(1, round(cell_width * h_in / w_in))
        header = np.full((_LINE + 4, width, 3), 230, np.uint8)
        text = domain if step is None else f'{domain}, iteration {step}'
        _put_lines(header, [text], 0, 2)
        titles = np.full((title_h, width, 3), 255, np.uint8)
        for j, col in enumerate(cols):
            _put_lines(titles, _text_lines(col.name, cell_width - 6,
                                           _TITLE_LINES), j * cell_width, 0)
        grid = np.full((n * cell_h, width, 3), 255, np.uint8)
        for i in range(n):
            for j, col in enumerate(cols):
                img = render_map(col, i, mean, std, input_is_rgb, palette,
                                 ignore_index)
                grid[i * cell_h:(i + 1) * cell_h,
                     j * cell_width:(j + 1) * cell_width] = _resize(
                         img, (cell_h, cell_width), col.kind == 'label')
        # thin white lines between cells keep neighbouring maps apart
        grid[:, ::cell_width] = 255
        grid[::cell_h] = 255
        blocks += [header, titles, grid]
    blocks.append(_legend(classes, palette, width))
    layout = {d: [c.name for c in cols] for d, cols in columns.items()}
    return np.concatenate(blocks, axis=0), layout
