"""Colour jitter and Gaussian blur of normalised image batches: the strong
augmentation of DACS / DAFormer self-training (no torchvision)."""
import math
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

#: Luma weights of ITU-R BT.601 (grey level for contrast and saturation).
_LUMA = (0.299, 0.587, 0.114)


def _grey(rgb: Tensor) -> Tensor:
    r, g, b = rgb.unbind(dim=1)
    return (_LUMA[0] * r + _LUMA[1] * g + _LUMA[2] * b).unsqueeze(1)


def rotate_hue(rgb: Tensor, shift: Tensor) -> Tensor:
    """Rotate the hue of (N, 3, H, W) RGB images by ``shift`` turns (N,).

    Decision: the rotation is done on the chroma plane of YIQ (luma kept),
    a linear stand-in for an HSV hue shift that needs no colour-space
    round trip.
    """
    to_yiq = rgb.new_tensor([[0.299, 0.587, 0.114],
                             [0.596, -0.274, -0.322],
                             [0.211, -0.523, 0.312]])
    yiq = torch.einsum('ij,njhw->nihw', to_yiq, rgb)
    angle = shift * 2 * math.pi
    cos = torch.cos(angle)[:, None, None]
    sin = torch.sin(angle)[:, None, None]
    i, q = yiq[:, 1], yiq[:, 2]
    yiq = torch.stack([yiq[:, 0], cos * i - sin * q, sin * i + cos * q], 1)
    return torch.einsum('ij,njhw->nihw', torch.linalg.inv(to_yiq), yiq)


def color_jitter(rgb: Tensor, brightness: Tensor, contrast: Tensor,
                 saturation: Tensor, hue: Tensor) -> Tensor:
    """Jitter (N, 3, H, W) RGB images in [0, 1] with per-image factors.

    ``brightness``, ``contrast``, ``saturation`` are multiplicative factors
    (1 = unchanged), ``hue`` a shift in turns; all (N,). Applied in this
    order, clamped to [0, 1] after each step.
    """
    def per_image(v: Tensor) -> Tensor:
        return v.to(rgb)[:, None, None, None]

    out = (rgb * per_image(brightness)).clamp(0, 1)
    mean = _grey(out).mean(dim=(1, 2, 3), keepdim=True)
    out = (mean + per_image(contrast) * (out - mean)).clamp(0, 1)
    grey = _grey(out)
    out = (grey + per_image(saturation) * (out - grey)).clamp(0, 1)
    return rotate_hue(out, hue.to(rgb)).clamp(0, 1)


def gaussian_blur(images: Tensor, sigma: float, kernel_size: int) -> Tensor:
    """Separable Gaussian blur of (N, C, H, W) images, reflect padding."""
    if kernel_size % 2 == 0 or kernel_size < 1:
        raise ValueError(f'gaussian_blur: kernel_size must be odd and '
                         f'positive, got {kernel_size}')
    half = kernel_size // 2
    x = torch.arange(-half, half + 1, dtype=images.dtype,
                     device=images.device)
    kernel = torch.exp(-x**2 / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    c = images.shape[1]
    pad_h = min(half, images.shape[2] - 1)
    pad_w = min(half, images.shape[3] - 1)
    out = F.pad(images, (pad_w, pad_w, pad_h, pad_h), mode='reflect')
    # a kernel longer than the reflected image is cut to it
    kh = kernel[half - pad_h:half + pad_h + 1]
    kw = kernel[half - pad_w:half + pad_w + 1]
    kh = (kh / kh.sum()).view(1, 1, -1, 1).repeat(c, 1, 1, 1)
    kw = (kw / kw.sum()).view(1, 1, 1, -1).repeat(c, 1, 1, 1)
    return F.conv2d(F.conv2d(out, kh, groups=c), kw, groups=c)


class StrongAugment:
    """Colour jitter then Gaussian blur, each per image with a probability.

    Works on preprocessed (normalised) batches: undoes the data
    preprocessor's ``(x - mean) / std``, augments in [0, 1] RGB, and
    normalises again. Draws come from torch's global CPU generator, so
    ``RNGStateHook`` checkpoints make them resume exactly.

    Decisions (DACS and DAFormer name "colour jitter and Gaussian blur"
    without values here; these are the values of their released configs
    as we know them, not checked against the code): jitter strength s =
    0.2 for brightness, contrast, saturation and hue, applied with
    probability 0.2; blur with probability 0.5, sigma ~ U(0.15, 1.15),
    kernel the odd size nearest 0.1 of the image height.

    Args:
        mean (Sequence[float]): The preprocessor's mean (its channel order).
        std (Sequence[float]): The preprocessor's std.
        rgb (bool): Whether the normalised channels are RGB (MMSeg's
            ``bgr_to_rgb=True``); else BGR.
        jitter_strength (float): s.
        jitter_prob (float): Probability of jittering an image.
        blur_prob (float): Probability of blurring an image.
        blur_sigma (tuple[float, float]): Range of sigma.
        blur_kernel_ratio (float): Kernel size / image height.
    """

    def __init__(self,
                 mean: Sequence[float],
                 std: Sequence[float],
                 rgb: bool = True,
                 jitter_strength: float = 0.2,
                 jitter_prob: float = 0.2,
                 blur_prob: float = 0.5,
                 blur_sigma: Tuple[float, float] = (0.15, 1.15),
                 blur_kernel_ratio: float = 0.1) -> None:
        self.mean = torch.as_tensor(mean, dtype=torch.float32).view(-1)
        self.std = torch.as_tensor(std, dtype=torch.float32).view(-1)
        if self.mean.numel() != 3 or self.std.numel() != 3:
            raise ValueError('StrongAugment: mean and std need 3 channels')
        self.rgb = rgb
        self.jitter_strength = jitter_strength
        self.jitter_prob = jitter_prob
        self.blur_prob = blur_prob
        self.blur_sigma = blur_sigma
        self.blur_kernel_ratio = blur_kernel_ratio

    def __call__(self,
                 images: Tensor,
                 generator: Optional[torch.Generator] = None) -> Tensor:
        """Augment (N, 3, H, W) normalised images; returns a new tensor."""
        n = images.shape[0]
        mean = self.mean.to(images)[None, :, None, None]
        std = self.std.to(images)[None, :, None, None]
        x = (images * std + mean) / 255.0
        order = [0, 1, 2] if self.rgb else [2, 1, 0]
        x = x[:, order]
        s = self.jitter_strength

        def uniform(low: float, high: float) -> Tensor:
            return low + (high - low) * torch.rand(n, generator=generator)

        jitter = torch.rand(n, generator=generator) < self.jitter_prob
        factors = [uniform(max(0.0, 1 - s), 1 + s) for _ in range(3)]
        hue = uniform(-s, s)
        if jitter.any():
            idx = jitter.nonzero().flatten().to(images.device)
            sel = jitter
            x[idx] = color_jitter(x[idx], factors[0][sel], factors[1][sel],
                                  factors[2][sel], hue[sel])
        blur = torch.rand(n, generator=generator) < self.blur_prob
        sigma = uniform(*self.blur_sigma)
        size = int(round(self.blur_kernel_ratio * images.shape[2]))
        size = max(1, size + (1 - size % 2))
        for i in blur.nonzero().flatten().tolist():
            x[i:i + 1] = gaussian_blur(x[i:i + 1], float(sigma[i]), size)
        x = x[:, order]  # the permutation is its own inverse
        return (x * 255.0 - mean) / std
