"""Load a paper's init checkpoint when it is there, a zoo weight otherwise."""
import logging
import os.path as osp
from typing import Optional

from mmengine.logging import print_log
from mmengine.model.weight_init import PretrainedInit

from mmseg.registry import WEIGHT_INITIALIZERS

# Schemes MMEngine's checkpoint loader resolves itself (never "absent").
_REMOTE = ('open-mmlab://', 'openmmlab://', 'torchvision://', 'mmcls://',
           'modelzoo://', 'http://', 'https://', 's3://')


@WEIGHT_INITIALIZERS.register_module()
class PretrainedWithFallback:
    """``Pretrained`` init from ``checkpoint`` if that local file exists,
    else from ``fallback``, with a warning that says which one was used.

    The papers' DeepLab-v2 models start from checkpoints no model hub holds
    (e.g. the ImageNet+COCO DeepLab init of AdaptSegNet / SIM, converted by
    ``tools/model_converters/deeplabv2_init.py``); a config names that file
    as its default and the MMSeg zoo weight as the fallback, so it trains
    either way and the log tells which init the run had.

    MMEngine applies an init that is not of type ``Pretrained`` before the
    children's own ``init_weights``; put it on a module whose children keep
    their weights (e.g. ``DLV2ResNet``, tested).

    Args:
        checkpoint (str): The preferred checkpoint (a local path).
        fallback (str): Checkpoint used when ``checkpoint`` is absent (a zoo
            URL such as ``open-mmlab://detectron2/resnet101_caffe``).
        prefix (str, optional): As ``Pretrained``'s.
        map_location (str): As ``Pretrained``'s.
    """

    def __init__(self,
                 checkpoint: str,
                 fallback: str,
                 prefix: Optional[str] = None,
                 map_location: str = 'cpu') -> None:
        self.checkpoint = checkpoint
        self.fallback = fallback
        self.prefix = prefix
        self.map_location = map_location

    def resolve(self) -> str:
        """The checkpoint this init loads."""
        if self.checkpoint.startswith(_REMOTE) or osp.isfile(self.checkpoint):
            return self.checkpoint
        print_log(
            f'PretrainedWithFallback: {self.checkpoint} not found; '
            f'initialising from the fallback {self.fallback} instead (the '
            'recipe card of the config says how this init differs from the '
            "paper's)",
            logger='current',
            level=logging.WARNING)
        return self.fallback

    def __call__(self, module) -> None:
        PretrainedInit(self.resolve(),
                       prefix=self.prefix,
                       map_location=self.map_location)(module)
