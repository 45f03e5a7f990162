from .iter_time_recorder_hook import IterTimeRecorderHook
from .rng_state_hook import RNGStateHook
from .uda_stage_hook import UDAStageHook

__all__ = ['RNGStateHook', 'UDAStageHook', 'IterTimeRecorderHook']
