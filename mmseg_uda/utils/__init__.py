from .checkpoint_loading import allow_full_checkpoint_loading
from .config_walk import for_each_dict
from .mmcv_lite_compat import full_mmcv_available
from .rng_state import get_rng_states, preserved_rng_states, set_rng_states

__all__ = [
    'allow_full_checkpoint_loading', 'full_mmcv_available', 'get_rng_states',
    'set_rng_states', 'preserved_rng_states', 'for_each_dict'
]
