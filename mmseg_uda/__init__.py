"""mmseg_uda: domain-adaptive semantic segmentation for MMSegmentation 1.x.

Importing the package registers its datasets, transforms, models, metrics and
hooks into ``mmseg.registry``. Configs load it with::

    custom_imports = dict(imports=['mmseg_uda'], allow_failed_imports=False)
"""
# The mmcv-lite compatibility shim must run before any ``mmseg`` submodule
# that imports ``mmcv.ops`` (see mmseg_uda/utils/mmcv_lite_compat.py).
from .utils import mmcv_lite_compat

mmcv_lite_compat.install()

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .version import __version__  # noqa: E402

__all__ = ['__version__']
