from .cycle_gan import CycleGAN
from .image_pool import ImagePool

__all__ = ['CycleGAN', 'ImagePool']
