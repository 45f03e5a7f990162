from .softmax_ensemble import SoftmaxEnsemble
from .uda_segmentor import UDASegmentor

__all__ = ['SoftmaxEnsemble', 'UDASegmentor']
