from .checkpoint_loading import allow_full_checkpoint_loading
from .mmcv_lite_compat import full_mmcv_available

__all__ = ['allow_full_checkpoint_loading', 'full_mmcv_available']
