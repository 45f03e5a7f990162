"""DAFormer's thing-class ImageNet feature distance."""
import copy
from typing import Dict, Sequence

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor, nn

from .base_aligner import BaseAligner
from .domain_outputs import DomainOutputs

#: Cityscapes train ids of DAFormer's thing classes: pole, traffic light,
#: traffic sign, person, rider, car, truck, bus, train, motorcycle, bicycle.
CITYSCAPES_THINGS = (5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18)


def dominant_class(label: Tensor, size: Sequence[int], num_classes: int,
                   min_ratio: float, ignore_index: int = 255) -> Tensor:
    """Downsample (N, H, W) labels to ``size`` by the class that covers at
    least ``min_ratio`` of each cell (else ``ignore_index``).

    Each output pixel is the cell of about (H / h) x (W / w) input pixels
    it pools (adaptive average pooling, so sizes need not divide); void
    pixels count in the cell but never win.
    """
    valid = label != ignore_index
    one_hot = F.one_hot(torch.where(valid, label, 0).long(),
                        num_classes).permute(0, 3, 1, 2).float()
    one_hot = one_hot * valid[:, None]
    share = F.adaptive_avg_pool2d(one_hot, tuple(size))
    top, cls = share.max(dim=1)
    return torch.where(top >= min_ratio, cls,
                       torch.full_like(cls, ignore_index))


@MODELS.register_module()
class ThingFeatureDistance(BaseAligner):
    """Keep G's features of thing classes near the initial (ImageNet)
    backbone's (DAFormer Sec. 3.3, Eq. 6-7).

    ``F_I`` is a frozen copy of G's backbone taken right after G's own
    initialisation (so the ImageNet weights when G starts from them, also
    when ``load_from`` later loads another checkpoint into G), ``F_theta``
    G's backbone; on the source batch::

        d_ij   = || F_I(X_S)_ij - F_theta(X_S)_ij ||_2   (bottleneck level)
        loss_fd = lambda_FD * sum_ij d_ij * M_ij / sum_ij M_ij

    with ``M`` the pixels of the feature map whose downsampled source label
    is a thing class; a label cell gets the class covering at least
    ``min_ratio`` of it (decision, as DAFormer downsamples labels:
    0.75). A batch without thing pixels gives 0. The copy is a child
    module (``imagenet_backbone``) without gradients or optimizer; it is
    in checkpoints, so a resumed run keeps the initial weights.

    Args:
        weight (float): lambda_FD. Default: 0.005.
        thing_classes (Sequence[int]): Train ids of thing classes.
            Default: Cityscapes' (``CITYSCAPES_THINGS``).
        num_classes (int): Classes of the labels. Default: 19.
        feature_index (int): Backbone level compared. Default: -1 (the
            bottleneck).
        min_ratio (float): See above. Default: 0.75.
        ignore_index (int): Void label. Default: 255.
        active (bool): See :class:`BaseAligner`. Default: True.
        init_cfg (dict, optional): Initialisation config. Default: None.
    """

    def __init__(self,
                 weight: float = 0.005,
                 thing_classes: Sequence[int] = CITYSCAPES_THINGS,
                 num_classes: int = 19,
                 feature_index: int = -1,
                 min_ratio: float = 0.75,
                 ignore_index: int = 255,
                 active: bool = True,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(active=active, init_cfg=init_cfg)
        self.weight = weight
        self.thing_classes = tuple(thing_classes)
        self.num_classes = num_classes
        self.feature_index = feature_index
        self.min_ratio = min_ratio
        self.ignore_index = ignore_index
        self.imagenet_backbone: nn.Module = nn.Identity()
        self._segmentor = None

    def bind_segmentor(self, segmentor: nn.Module) -> None:
        object.__setattr__(self, '_segmentor', segmentor)
        if getattr(segmentor, 'with_neck', False):
            raise NotImplementedError(
                'ThingFeatureDistance: G has a neck; the distance is '
                'defined on backbone features')
        self._copy_backbone()

    def _copy_backbone(self) -> None:
        backbone = copy.deepcopy(self._segmentor.backbone)
        for param in backbone.parameters():
            param.requires_grad_(False)
        backbone.eval()  # MMSeg's ResNet.train() does not return self
        self.imagenet_backbone = backbone

    def init_weights(self) -> None:
        """Copy G's backbone as initialised (``UDASegmentor`` initialises
        G before its aligners)."""
        super().init_weights()
        # MMEngine forbids new parameters here: copy values, not modules
        self.imagenet_backbone.load_state_dict(
            self._segmentor.backbone.state_dict())

    def train(self, mode: bool = True) -> 'ThingFeatureDistance':
        super().train(mode)
        self.imagenet_backbone.eval()  # frozen BN statistics too
        return self

    def generator_loss(self, source: DomainOutputs,
                       target: DomainOutputs) -> Dict[str, Tensor]:
        """``loss_fd`` on the source batch."""
        feats = source.feats[self.feature_index]
        with torch.no_grad():
            ref = self.imagenet_backbone(source.inputs)[self.feature_index]
        labels = source.gt_sem_seg()
        if labels is None:
            raise KeyError('ThingFeatureDistance: the source samples have '
                           'no label (gt_sem_seg)')
        cells = dominant_class(labels.to(feats.device), feats.shape[2:],
                               self.num_classes, self.min_ratio,
                               self.ignore_index)
        things = torch.isin(
            cells, torch.tensor(self.thing_classes, device=cells.device))
        with torch.autocast(device_type=feats.device.type, enabled=False):
            dist = torch.linalg.vector_norm(feats.float() - ref.float(),
                                            dim=1)
            mask = things.float()
            loss = (dist * mask).sum() / mask.sum().clamp(min=1)
        return dict(loss_fd=self.weight * loss,
                    thing_share=mask.mean())
