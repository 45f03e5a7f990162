from .daformer_head import DAFormerHead
from .dlv2_head import DLV2Head
from .fcn8s_head import FCN8sHead

__all__ = ['DLV2Head', 'FCN8sHead', 'DAFormerHead']
