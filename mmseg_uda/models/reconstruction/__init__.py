from .conditional_gan_losses import (FAKE_LABEL, REAL_LABEL,
                                     discriminator_loss, generator_terms)
from .label_to_image import LabelToImage, one_hot_labels

__all__ = [
    'LabelToImage', 'one_hot_labels', 'generator_terms', 'discriminator_loss',
    'REAL_LABEL', 'FAKE_LABEL'
]
