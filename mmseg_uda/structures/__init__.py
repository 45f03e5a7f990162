from .debug_map import DEBUG_MAP_KINDS, DebugMap

__all__ = ['DebugMap', 'DEBUG_MAP_KINDS']
