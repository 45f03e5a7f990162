from .check_seg_map import CheckSegMap
from .relabel_seg_map import RelabelSegMap

__all__ = ['CheckSegMap', 'RelabelSegMap']
