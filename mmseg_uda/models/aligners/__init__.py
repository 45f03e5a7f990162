from .base_aligner import BaseAligner
from .class_mix_self_training import ClassMixSelfTraining
from .domain_outputs import DomainOutputs
from .entropy_minimization import EntropyMinimization
from .label_reconstruction import LabelReconstruction
from .local_adversarial import LocalAdversarial, mix
from .masked_image_consistency import MaskedImageConsistency
from .output_adversarial import OutputAdversarial
from .pseudo_label_ce import PseudoLabelCE
from .stuff_instance_matching import StuffInstanceMatching
from .thing_feature_distance import ThingFeatureDistance

__all__ = [
    'BaseAligner', 'DomainOutputs', 'OutputAdversarial', 'EntropyMinimization',
    'LocalAdversarial', 'mix', 'LabelReconstruction', 'PseudoLabelCE',
    'StuffInstanceMatching', 'ClassMixSelfTraining', 'MaskedImageConsistency',
    'ThingFeatureDistance'
]
