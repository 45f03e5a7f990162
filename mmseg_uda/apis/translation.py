"""Offline image translation with a trained CycleGAN (LDR step 1, SPEC 4.3).

Used by ``tools/translate_images.py``: every image below a source folder is
translated by one generator and written to an output folder under the same
relative path and file name, so that a dataset reads the translated set by
changing only its ``data_root`` (e.g. Cityscapes ``leftImg8bit/train/<city>
/*_leftImg8bit.png`` -> ``<out>/leftImg8bit/train/<city>/...``).
"""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.runner.checkpoint import _load_checkpoint, load_state_dict
from mmengine.utils import ProgressBar
from torch import Tensor, nn

from ..datasets.file_io import atomic_imwrite
from .model_builder import build_model_from_cfg

#: File types that are translated (lower-case extensions).
IMG_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp')


def _normalisation(model: nn.Module) -> Tuple[Tensor, Tensor, bool]:
    """(mean, std, bgr_to_rgb) of the model's data preprocessor: the map
    from BGR uint8 images to the generators' input (and, inverted, from
    their tanh output back to images)."""
    pre = model.data_preprocessor
    if getattr(pre, '_enable_normalize', False):
        mean, std = pre.mean.float().cpu(), pre.std.float().cpu()
    else:
        mean, std = torch.zeros(3, 1, 1), torch.ones(3, 1, 1)
    return mean, std, bool(getattr(pre, 'channel_conversion', False))


class ImageTranslator:
    """One CycleGAN generator as a BGR-uint8-image -> BGR-uint8-image map.

    ``x = (rgb(img) - mean) / std`` (the training preprocessor), optionally
    resized to ``size``, padded (reflect) to a multiple of 4, translated,
    cropped, resized back to the input's resolution and mapped back with
    ``clip(y * std + mean, 0, 255)``. The output always has the input's
    height and width.

    Args:
        generator (nn.Module): (1, 3, H, W) -> (1, 3, H, W) network.
        mean (Tensor): (3, 1, 1) preprocessor mean (0-255 scale).
        std (Tensor): (3, 1, 1) preprocessor std.
        bgr_to_rgb (bool): The generator works on RGB.
        size (tuple[int, int], optional): (W, H) at which the generator
            runs (e.g. the training resolution); None: the input's own.
        device (str | torch.device): Default: 'cpu'.
    """

    def __init__(self,
                 generator: nn.Module,
                 mean: Tensor,
                 std: Tensor,
                 bgr_to_rgb: bool,
                 size: Optional[Sequence[int]] = None,
                 device: Union[str, torch.device] = 'cpu') -> None:
        if size is not None:
            size = tuple(int(s) for s in size)
            if len(size) != 2 or min(size) < 4:
                raise ValueError(f'ImageTranslator size must be (W, H) with '
                                 f'W, H >= 4, got {size}')
        self.size = size
        self.device = torch.device(device)
        self.generator = generator.to(self.device).eval()
        self.mean = mean.reshape(1, 3, 1, 1).to(self.device)
        self.std = std.reshape(1, 3, 1, 1).to(self.device)
        self.bgr_to_rgb = bgr_to_rgb

    @staticmethod
    def _resize(x: Tensor, hw: Tuple[int, int]) -> Tensor:
        if tuple(x.shape[2:]) == hw:
            return x
        shrink = hw[0] < x.shape[2] or hw[1] < x.shape[3]
        return F.interpolate(x, size=hw, mode='bilinear',
                             align_corners=False, antialias=shrink)

    @torch.no_grad()
    def __call__(self, img: np.ndarray) -> np.ndarray:
        """(H, W, 3) BGR uint8 -> (H, W, 3) BGR uint8 translation."""
        if img.ndim != 3 or img.shape[2] != 3 or img.dtype != np.uint8:
            raise ValueError(f'ImageTranslator expects an (H, W, 3) uint8 '
                             f'BGR image, got {img.shape} {img.dtype}')
        h, w = img.shape[:2]
        x = torch.from_numpy(np.ascontiguousarray(img)).to(self.device)
        x = x.permute(2, 0, 1)[None].float()
        if self.bgr_to_rgb:
            x = x.flip(1)
        x = (x - self.mean) / self.std
        if self.size is not None:
            x = self._resize(x, (self.size[1], self.size[0]))
        # the generator halves the size twice: pad to a multiple of 4
        hh, ww = x.shape[2:]
        ph, pw = -hh % 4, -ww % 4
        if ph or pw:
            mode = 'reflect' if min(hh, ww) > 3 else 'replicate'
            x = F.pad(x, (0, pw, 0, ph), mode=mode)
        y = self.generator(x)[:, :, :hh, :ww].float()
        y = self._resize(y, (h, w))
        y = y * self.std + self.mean
        if self.bgr_to_rgb:
            y = y.flip(1)
        y = y.clamp(0, 255).round().to(torch.uint8)
        return y[0].permute(1, 2, 0).cpu().numpy()


def load_translator(config: Union[str, Config],
                    checkpoint: str,
                    direction: str = 'a',
                    size: Optional[Sequence[int]] = None,
                    device: Union[str, torch.device] = 'cpu'
                    ) -> ImageTranslator:
    """Build the translation model of ``config`` and load one generator.

    Only ``generators.<direction>.*`` is read from the checkpoint (a Runner
    checkpoint of ``tools/train_translation.py`` or a bare state dict);
    discriminators and image pools are not needed. MMEngine checkpoints
    hold more than tensors: the caller must allow full loading
    (``mmseg_uda.utils.allow_full_checkpoint_loading``) for them.

    Args:
        config (str | Config): The translation (CycleGAN) config.
        checkpoint (str): Checkpoint file.
        direction (str): 'a' (G_A: domain A -> B; target -> source in the
            LDR configs) or 'b' (G_B). Default: 'a'.
        size (tuple[int, int], optional): (W, H) the generator runs at.
        device (str | torch.device): Default: 'cpu'.

    Raises:
        FileNotFoundError: Missing config or checkpoint.
        KeyError: The checkpoint has no weights for that generator.
    """
    if isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config file not found: {config}')
        config = Config.fromfile(config)
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint file not found: {checkpoint}')
    model = build_model_from_cfg(config)
    if not hasattr(model, 'translate') or not hasattr(model, 'generators'):
        raise TypeError(f'{type(model).__name__} is not a translation model '
                        '(expected e.g. CycleGAN with `generators`)')
    if direction not in model.generators:
        raise ValueError(f'direction must be one of {list(model.generators)}'
                         f', got {direction!r}')
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else {}
    prefix = f'generators.{direction}.'
    weights = {
        k[len(prefix):]: v
        for k, v in state.items() if k.startswith(prefix)
    }
    if not weights:
        raise KeyError(f'{checkpoint} holds no {prefix}* weights (is it a '
                       'checkpoint of a CycleGAN translation config?)')
    generator = model.generators[direction]
    # strict: a partial generator would translate garbage silently
    load_state_dict(generator, weights, strict=True)
    mean, std, bgr_to_rgb = _normalisation(model)
    return ImageTranslator(generator, mean, std, bgr_to_rgb, size, device)


def list_images(src_dir: str, suffix: Optional[str] = None) -> List[str]:
    """Sorted relative paths of the images below ``src_dir``.

    Hidden files (e.g. the temporary files of an interrupted atomic write)
    are ignored; ``suffix`` (e.g. ``'_leftImg8bit.png'``) restricts the
    list to names ending with it.
    """
    found = []
    for root, dirs, names in os.walk(src_dir, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
        for name in names:
            if name.startswith('.'):
                continue
            if not name.lower().endswith(IMG_EXTENSIONS):
                continue
            if suffix is not None and not name.endswith(suffix):
                continue
            found.append(osp.relpath(osp.join(root, name), src_dir))
    return sorted(found)


def _inside(path: str, folder: str) -> bool:
    path, folder = osp.realpath(path), osp.realpath(folder)
    return path == folder or path.startswith(folder + os.sep)


def translate_folder(translator: ImageTranslator,
                     src_dir: str,
                     out_dir: str,
                     suffix: Optional[str] = None,
                     overwrite: bool = False,
                     show_progress: bool = True) -> Dict[str, int]:
    """Translate every image below ``src_dir`` into ``out_dir``.

    ``<src_dir>/<rel>`` is written to ``<out_dir>/<rel>`` (same relative
    path and file name, encoded by its extension) at the input's
    resolution. Nothing else is copied. Each file is written atomically
    (temporary file, then rename), so an interrupted run leaves only
    complete images; a rerun skips the images that exist (resume) unless
    ``overwrite``.

    Returns:
        dict: ``total``, ``translated`` and ``skipped`` counts.

    Raises:
        NotADirectoryError: ``src_dir`` is not a folder.
        ValueError: One folder lies inside the other.
        FileNotFoundError: No image below ``src_dir``.
        OSError: An unreadable image (named in the message); the images
            written before it are kept.
    """
    if not osp.isdir(src_dir):
        raise NotADirectoryError(f'source folder not found: {src_dir}')
    if _inside(out_dir, src_dir) or _inside(src_dir, out_dir):
        raise ValueError(f'the output folder {out_dir} and the source folder '
                         f'{src_dir} must not contain each other')
    images = list_images(src_dir, suffix)
    if not images:
        raise FileNotFoundError(
            f'no image ({"/".join(IMG_EXTENSIONS)}'
            f'{"" if suffix is None else f", ending with {suffix!r}"}) '
            f'below {src_dir}')
    counts = dict(total=len(images), translated=0, skipped=0)
    bar = ProgressBar(len(images)) if show_progress else None
    for rel in images:
        out_path = osp.join(out_dir, rel)
        if not overwrite and osp.isfile(out_path):
            counts['skipped'] += 1
        else:
            src_path = osp.join(src_dir, rel)
            img = cv2.imread(src_path, cv2.IMREAD_COLOR)
            if img is None:
                raise OSError(f'cannot read {src_path} as an image '
                              '(missing, truncated or not an image file); '
                              'fix or remove it and rerun: finished images '
                              'are skipped')
            atomic_imwrite(out_path, translator(img))
            counts['translated'] += 1
        if bar is not None:
            bar.update()
    return counts
