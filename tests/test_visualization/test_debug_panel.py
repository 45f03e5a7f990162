"""draw_debug_panel / render_map pixel by pixel on hand-made maps."""
import numpy as np
import pytest
import torch

from mmseg_uda.structures import DebugMap
from mmseg_uda.visualization import draw_debug_panel, render_map

MEAN = torch.tensor([10., 20., 30.])
STD = torch.tensor([2., 4., 5.])
PALETTE = [[255, 0, 0], [0, 255, 0], [0, 0, 255]]
CLASSES = ['a', 'b', 'c']


def test_input_is_denormalised_and_flipped_to_rgb():
    bgr = torch.tensor([40., 80., 130.])  # pixel as loaded (B, G, R)
    x = ((bgr - MEAN) / STD).view(1, 3, 1, 1).expand(1, 3, 2, 2)
    m = DebugMap('source', 'image', 'input', x)
    rgb = render_map(m, 0, MEAN, STD, False, PALETTE)
    assert rgb.shape == (2, 2, 3) and rgb.dtype == np.uint8
    assert rgb[0, 0].tolist() == [130, 80, 40]
    assert render_map(m, 0, MEAN, STD, True, PALETTE)[0, 0].tolist() == [
        40, 80, 130
    ]


def test_label_colours_and_ignored_black():
    label = torch.tensor([[[0, 1], [2, 255]]])
    out = render_map(DebugMap('target', 'l', 'label', label), 0, MEAN, STD,
                     True, PALETTE)
    assert out[0, 0].tolist() == [255, 0, 0]
    assert out[0, 1].tolist() == [0, 255, 0]
    assert out[1, 0].tolist() == [0, 0, 255]
    assert out[1, 1].tolist() == [0, 0, 0]


def test_heat_goes_from_blue_to_red():
    heat = torch.tensor([[[0.0, 1.0]]])
    out = render_map(DebugMap('target', 'h', 'heat', heat), 0, MEAN, STD,
                     True, PALETTE).astype(int)
    low, high = out[0, 0], out[0, 1]
    assert low[2] > low[0] and high[0] > high[2]


def test_grid_layout_and_cells():
    n, h, w = 2, 4, 8
    maps = [
        DebugMap('source', 'image', 'input', torch.zeros(n, 3, h, w)),
        DebugMap('source', 'label', 'label',
                 torch.ones(n, h, w, dtype=torch.long)),
        DebugMap('target', 'image', 'input', torch.zeros(n, 3, h, w)),
        DebugMap('target', 'D P(target)', 'heat', torch.zeros(n, h, w)),
        DebugMap('target', 'rec', 'rgb', torch.ones(n, 3, h, w)),
    ]
    panel, layout = draw_debug_panel(maps, MEAN, STD, True, CLASSES, PALETTE,
                                     cell_width=32, step=7)
    assert layout == dict(source=['image', 'label'],
                          target=['image', 'D P(target)', 'rec'])
    assert panel.shape[1] == 3 * 32 and panel.dtype == np.uint8
    # find the source grid: the first row whose label cell is class 1 green
    green = np.where((panel[:, 32 + 5] == [0, 255, 0]).all(axis=1))[0]
    cell_h = 32 * h // w
    green = green[green < green[0] + 2 * cell_h]  # not the legend swatch
    # two samples of cell_h rows, less the white separator line of each
    assert len(green) == 2 * (cell_h - 1)
    # the rgb cell of ones is white, the empty third source column too
    assert (panel[green[0], 64 + 5] == 255).all()


def test_bad_maps_are_refused():
    with pytest.raises(ValueError, match='kind'):
        DebugMap('source', 'x', 'picture', torch.zeros(1, 2, 2))
    with pytest.raises(ValueError, match='3-d'):
        DebugMap('source', 'x', 'label', torch.zeros(1, 1, 2, 2))
    with pytest.raises(ValueError, match='domain'):
        DebugMap('mixed', 'x', 'label', torch.zeros(1, 2, 2))
    with pytest.raises(ValueError, match='no maps'):
        draw_debug_panel([], MEAN, STD, True, CLASSES, PALETTE)
