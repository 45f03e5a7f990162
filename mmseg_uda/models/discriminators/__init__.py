from .fc_discriminator import FCDiscriminator
from .multiscale_patch_discriminator import MultiScalePatchDiscriminator
from .patch_discriminator import PatchDiscriminator
from .pixel_discriminator import PixelDiscriminator

__all__ = [
    'FCDiscriminator', 'PixelDiscriminator', 'MultiScalePatchDiscriminator',
    'PatchDiscriminator'
]
