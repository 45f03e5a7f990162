from .entropy import entropy_loss, self_information
from .gan_loss import GAN_MODES, SOURCE_LABEL, TARGET_LABEL, gan_loss

__all__ = [
    'gan_loss', 'GAN_MODES', 'SOURCE_LABEL', 'TARGET_LABEL', 'entropy_loss',
    'self_information'
]
