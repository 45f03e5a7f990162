from .amp import AMP_DTYPES, enable_amp

__all__ = ['enable_amp', 'AMP_DTYPES']
