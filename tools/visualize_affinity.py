"""Draw the label affinity and the square-root affinity of a prediction.

The AR-loss paper's Figure 4: for one image, the label affinity
``M_ij = [y_i == y_j]`` next to the square-root affinity
``A = sqrt(P)^T sqrt(P)`` of the model's softmax, both over the 180 grid
positions of the loss (12x12 then 6x6, row-major), as heat maps from blue
(0) to red (1)::

    python tools/visualize_affinity.py CONFIG CHECKPOINT IMAGE \\
        --label LABEL.png --out affinity.png

The logits are the model's test-mode output resized to the image (to the
label when its size differs), sampled exactly as ``AffinityRegressionLoss``
samples them. Pairs with an ignored label are grey. Without ``--label`` only
``A`` is drawn. matplotlib draws the figure when it is installed, otherwise
OpenCV colour maps (``--backend`` forces one).

Checkpoint loading: the checkpoint is fully unpickled (MMEngine checkpoints
need it); only load checkpoints you trust.
"""
import argparse
import io
import os.path as osp
import sys
from typing import Dict, Optional, Sequence

import cv2
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

import mmseg_uda  # noqa: E402,F401  registers the plugin's components
from mmseg_uda.datasets.file_io import (atomic_imwrite,  # noqa: E402
                                        atomic_write_bytes)
from mmseg_uda.models.losses.affinity_regression_loss import (  # noqa: E402
    AffinityRegressionLoss, label_affinity, sqrt_affinity)
from mmseg_uda.utils import allow_full_checkpoint_loading  # noqa: E402

IGNORE_GREY = (160, 160, 160)
# Test-pipeline steps that need a label file; inference runs without them
# (the label, when given, is read and compared here instead).
LABEL_TRANSFORMS = ('LoadAnnotations', 'CheckSegMap', 'RelabelSegMap')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Heat maps of the label affinity and the square-root '
        'affinity of a prediction (AR-loss paper, Figure 4)')
    parser.add_argument('config', help='model config file')
    parser.add_argument('checkpoint', help='checkpoint (.pth)')
    parser.add_argument('image', help='input image')
    parser.add_argument('--label',
                        help='label PNG of the image (class ids, '
                        'ignore_index for void)')
    parser.add_argument('--out', required=True, help='output PNG')
    parser.add_argument('--grid-sizes',
                        type=int,
                        nargs='+',
                        default=[12, 6],
                        help='square grid sizes of the loss (default 12 6)')
    parser.add_argument('--sampling',
                        choices=['nearest', 'avg'],
                        default='nearest')
    parser.add_argument('--ignore-index', type=int, default=255)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--backend',
                        choices=['auto', 'matplotlib', 'cv2'],
                        default='auto')
    parser.add_argument('--cell',
                        type=int,
                        default=3,
                        help='pixels per matrix entry (cv2 backend)')
    return parser.parse_args(argv)


def _read_label(path: str) -> np.ndarray:
    if not osp.isfile(path):
        raise FileNotFoundError(f'label file not found: {path!r}')
    label = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if label is None or label.ndim != 2:
        raise ValueError(f'{path!r}: expected a single-channel label PNG of '
                         'class ids, got ' +
                         ('an unreadable file' if label is None else
                          f'an array of shape {label.shape}'))
    return label


def predict_logits(config: str, checkpoint: str, image: str,
                   device: str) -> torch.Tensor:
    """Test-mode logits (C, H, W) of the model at the image's size."""
    from mmengine.config import Config
    from mmseg.apis import inference_model, init_model
    if not osp.isfile(image):
        raise FileNotFoundError(f'image file not found: {image!r}')
    if cv2.imread(image) is None:
        raise ValueError(f'{image!r} is not a readable image')
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint!r}')
    cfg = Config.fromfile(config)
    cfg.test_pipeline = [
        t for t in cfg.test_pipeline if t['type'] not in LABEL_TRANSFORMS
    ]
    model = init_model(cfg, checkpoint, device=device)
    result = inference_model(model, image)
    return result.seg_logits.data


def affinity_matrices(logits: torch.Tensor,
                      label: Optional[np.ndarray],
                      grid_sizes: Sequence[int] = (12, 6),
                      sampling: str = 'nearest',
                      ignore_index: int = 255) -> Dict[str, np.ndarray]:
    """``A`` and (with a label) ``M`` and the pair mask, as the loss sees
    them.

    Args:
        logits (Tensor): (C, H, W) logits of one image.
        label (np.ndarray, optional): (H', W') class ids; the logits are
            resized (bilinear) to its size as a decode head does. Without a
            label, all positions count as valid.
        grid_sizes (Sequence[int]): Grids of the loss.
        sampling (str): ``'nearest'`` or ``'avg'``.
        ignore_index (int): Void label.

    Returns:
        dict: ``A`` (L, L); with a label also ``M`` (L, L), ``valid``
        (L, L) bool and ``loss`` (the unweighted AR loss, a float).
    """
    loss = AffinityRegressionLoss(grid_sizes=grid_sizes,
                                  sampling=sampling,
                                  loss_weight=1.0)
    logits = logits[None].float().cpu()
    if label is None:
        target = torch.zeros(logits.shape[0], *logits.shape[2:]).long()
    else:
        target = torch.from_numpy(label.astype(np.int64))[None]
        if tuple(target.shape[1:]) != tuple(logits.shape[2:]):
            logits = F.interpolate(logits,
                                   size=target.shape[1:],
                                   mode='bilinear',
                                   align_corners=False)
    with torch.no_grad():
        sqrt_p, labels, valid = loss.sample(logits, target, ignore_index)
        out = dict(A=sqrt_affinity(sqrt_p)[0].numpy())
        if label is not None:
            out['M'] = label_affinity(labels)[0].numpy()
            out['valid'] = (valid[0, :, None] & valid[0, None, :]).numpy()
            out['loss'] = float(
                loss(logits, target, ignore_index=ignore_index))
    return out


def _draw_cv2(panels, cell: int) -> np.ndarray:
    tiles = []
    for title, mat, mask in panels:
        heat = cv2.applyColorMap(
            np.clip(mat * 255 + 0.5, 0, 255).astype(np.uint8),
            cv2.COLORMAP_JET)
        if mask is not None:
            heat[~mask] = IGNORE_GREY
        heat = cv2.resize(heat, None, fx=cell, fy=cell,
                          interpolation=cv2.INTER_NEAREST)
        title_bar = np.full((28, heat.shape[1], 3), 255, np.uint8)
        cv2.putText(title_bar, title, (4, 20), cv2.FONT_HERSHEY_SIMPLEX,
                    0.5, (0, 0, 0), 1, cv2.LINE_AA)
        tiles.append(np.concatenate([title_bar, heat], axis=0))
    gap = np.full((tiles[0].shape[0], 12, 3), 255, np.uint8)
    row = []
    for tile in tiles:
        row += [tile, gap]
    return np.concatenate(row[:-1], axis=1)


def _draw_matplotlib(panels) -> bytes:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    cmap = matplotlib.colormaps['jet'].with_extremes(
        bad=np.array(IGNORE_GREY[::-1]) / 255)
    fig, axes = plt.subplots(1, len(panels),
                             figsize=(4.6 * len(panels), 4.2),
                             squeeze=False)
    for ax, (title, mat, mask) in zip(axes[0], panels):
        shown = np.ma.masked_array(mat, mask=None if mask is None else ~mask)
        im = ax.imshow(shown, cmap=cmap, vmin=0, vmax=1,
                       interpolation='nearest')
        ax.set_title(title, fontsize=10)
        ax.set_xlabel('position j')
        ax.set_ylabel('position i')
    fig.colorbar(im, ax=axes[0].tolist(), fraction=0.03)
    buf = io.BytesIO()
    fig.savefig(buf, format='png', dpi=100)
    plt.close(fig)
    return buf.getvalue()


def draw(mats: Dict[str, np.ndarray], out: str, backend: str = 'auto',
         cell: int = 3) -> str:
    """Write the heat maps to ``out`` (PNG, atomically).

    Returns:
        str: The backend used, ``'matplotlib'`` or ``'cv2'``.
    """
    mask = mats.get('valid')
    panels = []
    if 'M' in mats:
        panels.append(('label affinity M', mats['M'], mask))
        panels.append((f'sqrt affinity A (AR loss {mats["loss"]:.4f})',
                       mats['A'], mask))
    else:
        panels.append(('sqrt affinity A', mats['A'], None))
    if backend == 'auto':
        try:
            import matplotlib  # noqa: F401
            backend = 'matplotlib'
        except ImportError:
            backend = 'cv2'
    if backend == 'matplotlib':
        atomic_write_bytes(out, _draw_matplotlib(panels))
    else:
        atomic_imwrite(out, _draw_cv2(panels, cell))
    return backend


def main(argv=None) -> None:
    args = parse_args(argv)
    if not args.out.lower().endswith('.png'):
        raise ValueError(f'--out must name a .png file, got {args.out!r}')
    allow_full_checkpoint_loading()
    label = _read_label(args.label) if args.label else None
    logits = predict_logits(args.config, args.checkpoint, args.image,
                            args.device)
    mats = affinity_matrices(logits, label, args.grid_sizes, args.sampling,
                             args.ignore_index)
    backend = draw(mats, args.out, args.backend, args.cell)
    msg = f'wrote {args.out} ({backend}; L = {mats["A"].shape[0]})'
    if 'loss' in mats:
        msg += f', AR loss {mats["loss"]:.4f}'
    print(msg)


if __name__ == '__main__':
    main()
