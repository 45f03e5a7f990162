from .fc_discriminator import FCDiscriminator
from .pixel_discriminator import PixelDiscriminator

__all__ = ['FCDiscriminator', 'PixelDiscriminator']
