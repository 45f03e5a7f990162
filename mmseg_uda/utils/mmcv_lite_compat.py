"""Make ``mmcv.ops`` importable under ``mmcv-lite``.

MMSegmentation 1.2.2 imports ``mmcv.ops`` unconditionally in four modules
(``point_sample`` in two places, ``sigmoid_focal_loss`` and the SAN head).
``mmcv-lite`` ships the Python files of ``mmcv/ops`` but not the compiled
extension ``mmcv._ext``, so ``mmcv/ops/__init__.py`` fails at import time and
takes ``mmseg.models`` down with it.

:func:`install` registers a stand-in ``mmcv.ops`` package that

* loads the pure-PyTorch submodules of the real ``mmcv/ops`` folder on demand
  (``point_sample`` has no compiled dependency), and
* gives a placeholder for compiled ops that MMSeg imports unconditionally
  (``sigmoid_focal_loss``); calling it raises an error naming full mmcv, and
* raises :class:`ModuleNotFoundError` for every other name, with a message that
  says to install full mmcv. MMSeg's optional imports (CCNet, PSANet, DCN)
  already catch that error and fail only when such a model is built.

When full mmcv is installed (``mmcv._ext`` imports) this module does nothing.
This is the only place where the plugin touches another package's import
machinery; it never edits files of mmcv or mmseg.
"""
import importlib
import importlib.util
import os.path as osp
import sys
import types

# Names of ``mmcv.ops`` that are plain PyTorch and their source module.
_PURE_PYTORCH_OPS = {
    'point_sample': 'point_sample',
    'bilinear_grid_sample': 'point_sample',
    'rel_roi_point_to_rel_img_point': 'point_sample',
}

# Compiled ops that MMSeg imports at module level: importable, fail on call.
_COMPILED_ONLY_OPS = ('sigmoid_focal_loss', )

_SHIM_FLAG = '__mmseg_uda_shim__'


def _needs_full_mmcv_message(name: str) -> str:
    return (f'mmcv.ops.{name} needs the compiled ops of full mmcv '
            "(module 'mmcv._ext'), but only mmcv-lite is installed. Install "
            "full mmcv ('mmcv>=2.0.0rc4,<2.2.0') to use it.")


def _compiled_only_placeholder(name: str):

    def placeholder(*args, **kwargs):
        raise RuntimeError(_needs_full_mmcv_message(name))

    placeholder.__name__ = name
    return placeholder


def full_mmcv_available() -> bool:
    """Whether the compiled mmcv extension (full mmcv) is importable."""
    return importlib.util.find_spec('mmcv._ext') is not None


def is_installed() -> bool:
    """Whether the stand-in ``mmcv.ops`` package is active."""
    return getattr(sys.modules.get('mmcv.ops'), _SHIM_FLAG, False)


def _make_ops_module(ops_dir: str) -> types.ModuleType:
    module = types.ModuleType('mmcv.ops')
    module.__path__ = [ops_dir]  # submodules resolve from the real folder
    module.__package__ = 'mmcv.ops'
    setattr(module, _SHIM_FLAG, True)

    def __getattr__(name: str):
        if name in _PURE_PYTORCH_OPS:
            sub = importlib.import_module(
                f'mmcv.ops.{_PURE_PYTORCH_OPS[name]}')
            value = getattr(sub, name)
            setattr(module, name, value)
            return value
        if name in _COMPILED_ONLY_OPS:
            return _compiled_only_placeholder(name)
        if name.startswith('__'):
            raise AttributeError(name)
        raise ModuleNotFoundError(_needs_full_mmcv_message(name))

    module.__getattr__ = __getattr__
    return module


def install() -> bool:
    """Install the stand-in ``mmcv.ops`` when full mmcv is missing.

    Returns:
        bool: True if the stand-in is active after the call.
    """
    if full_mmcv_available():
        return False
    if is_installed():
        return True
    import mmcv
    ops_dir = osp.join(osp.dirname(mmcv.__file__), 'ops')
    shim = _make_ops_module(ops_dir)
    sys.modules['mmcv.ops'] = shim
    mmcv.ops = shim
    return True
