from .check_seg_map import CheckSegMap

__all__ = ['CheckSegMap']
