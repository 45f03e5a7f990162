from . import transforms  # noqa: F401
from .gta5 import GTA5Dataset
from .label_mapping import map_ids
from .nyuv2 import NYUv2Dataset
from .rare_class_sampling import RareClassSampling, rcs_class_probabilities
from .synthia import SynthiaDataset
from .uda_dataset import UDADataset
from .uda_sampler import UDAInfiniteSampler

__all__ = [
    'GTA5Dataset', 'NYUv2Dataset', 'SynthiaDataset', 'UDADataset',
    'UDAInfiniteSampler', 'map_ids', 'RareClassSampling',
    'rcs_class_probabilities'
]
