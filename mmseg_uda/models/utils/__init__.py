from .boltzmann_softmax import boltzmann_softmax
from .requires_grad import requires_grad

__all__ = ['requires_grad', 'boltzmann_softmax']
