from .resnet_dlv2 import DLV2ResNet
from .vgg import VGG

__all__ = ['DLV2ResNet', 'VGG']
