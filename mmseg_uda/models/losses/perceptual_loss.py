"""VGG-19 perceptual L1 loss (LDR Eq. (5) first term, SPEC 4.3)."""
from typing import Sequence, Tuple

import torch
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor

#: ImageNet statistics of torchvision's VGG models (RGB, range [0, 1]).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

#: relu1_1 .. relu5_1 of VGG-19 and their weights (pix2pixHD's VGG loss,
#: the loss LDR's reconstruction term builds on).
DEFAULT_LAYERS = ('relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1')
DEFAULT_WEIGHTS = (1 / 32, 1 / 16, 1 / 8, 1 / 4, 1.0)


@MODELS.register_module()
class PerceptualLoss(BaseModule):
    """``sum_m w_m * mean |V_m(pred) - V_m(target)|`` with a frozen VGG.

    ``V_m`` are the activations after the ReLUs in ``layers`` of a VGG
    (:class:`mmseg_uda.models.backbones.VGG`, torchvision parameter names).
    Images come in ``input_range`` (LDR's reconstruction net M ends in a
    tanh: [-1, 1]) in RGB order and are mapped to what torchvision's
    ImageNet VGG was trained on: RGB in [0, 1] normalised by the ImageNet
    mean and std.

    The VGG is a fixed loss network: its parameters never require gradients
    (so no optimizer covers them; gradients still flow *through* it into
    ``pred``) and it stays in eval mode. On real runs it loads ImageNet
    weights from its ``init_cfg``, e.g.
    ``dict(type='Pretrained', checkpoint='https://download.pytorch.org/
    models/vgg19-dcbb9e9d.pth')`` (torchvision's VGG-19; the
    ``torchvision://vgg19`` scheme needs torchvision installed).

    Target features are computed without a graph: the target is data.

    Args:
        vgg (dict): Config of the VGG. ``out_relus`` is set to ``layers``.
            Default: VGG-19 with random init (tests).
        layers (Sequence[str]): ReLU names. Default: relu1_1..relu5_1.
        layer_weights (Sequence[float]): One weight per layer. Default:
            1/32, 1/16, 1/8, 1/4, 1.
        input_range (tuple[float, float]): Value range of the images.
            Default: (-1, 1).
        loss_weight (float): Multiplies the sum. Default: 1.0.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    def __init__(self,
                 vgg: dict = dict(type='VGG', depth=19, init_cfg=None),
                 layers: Sequence[str] = DEFAULT_LAYERS,
                 layer_weights: Sequence[float] = DEFAULT_WEIGHTS,
                 input_range: Tuple[float, float] = (-1.0, 1.0),
                 loss_weight: float = 1.0,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(layers) != len(layer_weights) or not layers:
            raise ValueError(
                'PerceptualLoss: layers and layer_weights must be non-empty '
                f'and of equal length, got {list(layers)} and '
                f'{list(layer_weights)}')
        low, high = input_range
        if not high > low:
            raise ValueError(
                f'PerceptualLoss: bad input_range {tuple(input_range)}')
        self.layers = tuple(layers)
        self.layer_weights = tuple(float(w) for w in layer_weights)
        self.input_range = (float(low), float(high))
        self.loss_weight = float(loss_weight)
        self.vgg = MODELS.build(dict(vgg, out_relus=self.layers))
        self.vgg.requires_grad_(False)
        self.vgg.eval()
        self.register_buffer('mean',
                             torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1),
                             persistent=False)
        self.register_buffer('std',
                             torch.tensor(IMAGENET_STD).view(1, 3, 1, 1),
                             persistent=False)

    def train(self, mode: bool = True) -> 'PerceptualLoss':
        """Keep the loss network in eval mode whatever the parent does."""
        super().train(mode)
        self.vgg.eval()
        return self

    def normalize(self, images: Tensor) -> Tensor:
        """``input_range`` RGB -> torchvision's ImageNet normalisation."""
        low, high = self.input_range
        unit = (images - low) / (high - low)
        return (unit - self.mean.to(images.dtype)) / self.std.to(
            images.dtype)

    def features(self, images: Tensor) -> Tuple[Tensor, ...]:
        """VGG activations of ``layers`` for (N, 3, H, W) images."""
        if images.dim() != 4 or images.shape[1] != 3:
            raise ValueError('PerceptualLoss expects RGB images (N, 3, H, '
                             f'W), got shape {tuple(images.shape)}')
        return self.vgg(self.normalize(images))

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        """Weighted sum of mean absolute feature differences.

        Args:
            pred (Tensor): Generated images (N, 3, H, W) in
                ``input_range``; gradients flow back into it.
            target (Tensor): Reference images of the same shape.

        Returns:
            Tensor: Scalar fp32 loss times ``loss_weight``.
        """
        if pred.shape != target.shape:
            raise ValueError('PerceptualLoss: pred and target shapes differ:'
                             f' {tuple(pred.shape)} vs {tuple(target.shape)}')
        feats_pred = self.features(pred)
        with torch.no_grad():
            feats_target = self.features(target)
        loss = pred.new_zeros((), dtype=torch.float32)
        for w, fp, ft in zip(self.layer_weights, feats_pred, feats_target):
            loss = loss + w * (fp.float() - ft.float()).abs().mean()
        return self.loss_weight * loss
