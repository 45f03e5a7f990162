from .requires_grad import requires_grad

__all__ = ['requires_grad']
