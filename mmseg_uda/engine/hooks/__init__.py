from .uda_stage_hook import UDAStageHook

__all__ = ['UDAStageHook']
