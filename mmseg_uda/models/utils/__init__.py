from .boltzmann_softmax import boltzmann_softmax
from .class_memory_bank import fifo_write, nearest_distance
from .connected_components import (compact_components, component_sizes,
                                   connected_components, largest_components)
from .ema_teacher import EMATeacher
from .pretrained_with_fallback import PretrainedWithFallback
from .requires_grad import requires_grad
from .scaled_size import scaled_size

__all__ = [
    'requires_grad', 'boltzmann_softmax', 'connected_components',
    'component_sizes', 'compact_components', 'largest_components',
    'scaled_size', 'PretrainedWithFallback', 'EMATeacher', 'fifo_write',
    'nearest_distance'
]
