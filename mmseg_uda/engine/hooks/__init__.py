from .atomic_checkpoint_hook import AtomicCheckpointHook
from .channels_last_hook import ChannelsLastHook, to_channels_last
from .iter_time_recorder_hook import IterTimeRecorderHook
from .non_finite_loss_hook import NonFiniteLossHook
from .num_classes_check_hook import NumClassesCheckHook
from .pseudo_label_hook import PseudoLabelHook
from .rng_state_hook import RNGStateHook
from .uda_debug_panel_hook import UDADebugPanelHook
from .uda_stage_hook import UDAStageHook

__all__ = [
    'RNGStateHook', 'UDAStageHook', 'IterTimeRecorderHook',
    'AtomicCheckpointHook', 'NonFiniteLossHook', 'NumClassesCheckHook',
    'PseudoLabelHook', 'ChannelsLastHook', 'to_channels_last',
    'UDADebugPanelHook'
]
