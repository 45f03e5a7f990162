"""Turn a training config into an automatic-mixed-precision one.

Used by ``tools/train.py --amp [fp16|bf16]``. Unlike MMSeg's tool it also
handles the multi-optimizer configs of the UDA methods, where
``optim_wrapper`` is a dict of sub-wrappers keyed by child module name
(``segmentor``, one key per discriminator, ...) plus a ``constructor``.
"""
import logging
from typing import Any, MutableMapping, Union

from mmengine.config import Config
from mmengine.logging import print_log

# CLI spelling -> AmpOptimWrapper ``dtype`` string.
AMP_DTYPES = {
    'fp16': 'float16',
    'float16': 'float16',
    'bf16': 'bfloat16',
    'bfloat16': 'bfloat16',
}

_PLAIN_WRAPPER = 'OptimWrapper'
_AMP_WRAPPER = 'AmpOptimWrapper'


def _convert_wrapper(wrapper: MutableMapping[str, Any], dtype: str,
                     where: str) -> None:
    """Make one optimizer-wrapper dict an ``AmpOptimWrapper`` in place.

    fp16 needs loss scaling against gradient underflow ('dynamic' scaler);
    bf16 has the float32 exponent range, so the wrapper's default is kept.
    """
    wrapper_type = wrapper['type']
    if wrapper_type == _AMP_WRAPPER:
        print_log(
            f'AMP is already enabled for {where} in the config; setting its '
            f'dtype to {dtype}.',
            logger='current',
            level=logging.WARNING)
    elif wrapper_type != _PLAIN_WRAPPER:
        raise ValueError(
            f'--amp: {where} has type {wrapper_type!r}; only '
            f"'{_PLAIN_WRAPPER}' (or '{_AMP_WRAPPER}') can be converted to "
            'mixed precision')
    wrapper['type'] = _AMP_WRAPPER
    wrapper['dtype'] = dtype
    if dtype == 'float16':
        wrapper.setdefault('loss_scale', 'dynamic')


def enable_amp(cfg: Union[Config, MutableMapping[str, Any]],
               dtype: str = 'fp16') -> Union[Config, MutableMapping[str, Any]]:
    """Switch every optimizer wrapper of ``cfg`` to ``AmpOptimWrapper``.

    Two shapes of ``cfg.optim_wrapper`` are accepted:

    * one wrapper: it has a ``type`` key -> converted;
    * a dict of sub-wrappers (no top-level ``type``; e.g. keys ``segmentor``,
      ``disc_main`` and ``constructor``) -> every value that is a dict with a
      ``type`` key is converted; other entries (``constructor``, ...) are
      left alone.

    Args:
        cfg (Config | dict): Training config, modified in place.
        dtype (str): 'fp16' / 'float16' or 'bf16' / 'bfloat16'.

    Returns:
        Config | dict: ``cfg`` itself, for chaining.

    Raises:
        ValueError: unknown ``dtype``, missing ``optim_wrapper``, a wrapper of
            a type other than OptimWrapper/AmpOptimWrapper, or a multi-wrapper
            dict without any sub-wrapper.
    """
    if dtype not in AMP_DTYPES:
        raise ValueError(f'--amp: unknown dtype {dtype!r}; expected one of '
                         f'{sorted(AMP_DTYPES)}')
    amp_dtype = AMP_DTYPES[dtype]
    optim_wrapper = cfg.get('optim_wrapper')
    if not isinstance(optim_wrapper, MutableMapping):
        raise ValueError('--amp: the config has no optim_wrapper dict '
                         f'(got {type(optim_wrapper).__name__})')

    if 'type' in optim_wrapper:
        _convert_wrapper(optim_wrapper, amp_dtype, 'optim_wrapper')
        return cfg

    converted = []
    for name, sub in optim_wrapper.items():
        if isinstance(sub, MutableMapping) and 'type' in sub:
            _convert_wrapper(sub, amp_dtype, f'optim_wrapper.{name}')
            converted.append(name)
    if not converted:
        raise ValueError(
            '--amp: optim_wrapper has no `type` and none of its entries '
            f'{sorted(optim_wrapper)} is a sub-wrapper dict with a `type` '
            'key; expected OptimWrapper dict(s)')
    return cfg
