from .affinity_regression_loss import AffinityRegressionLoss
from .entropy import entropy_loss, self_information
from .feature_matching_loss import FeatureMatchingLoss, feature_matching_loss
from .gan_loss import (GAN_MODES, SOURCE_LABEL, TARGET_LABEL, gan_loss,
                       target_probability)
from .perceptual_loss import PerceptualLoss
from .pixel_weighted_ce import pixel_weighted_cross_entropy

__all__ = [
    'AffinityRegressionLoss',
    'gan_loss', 'target_probability', 'GAN_MODES', 'SOURCE_LABEL',
    'TARGET_LABEL', 'entropy_loss',
    'self_information',
    'FeatureMatchingLoss', 'feature_matching_loss', 'PerceptualLoss',
    'pixel_weighted_cross_entropy'
]
