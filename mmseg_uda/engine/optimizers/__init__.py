from .uda_optim_wrapper_constructor import UDAOptimWrapperConstructor

__all__ = ['UDAOptimWrapperConstructor']
