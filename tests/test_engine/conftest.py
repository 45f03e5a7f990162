import os.path as osp
import sys

import pytest
from mmengine.registry import init_default_scope

import mmseg_uda  # noqa: F401  (mmcv-lite shim and registrations)

# Shared toy model helpers (uda_toys.py) import as a top-level module.
sys.path.insert(0, osp.dirname(__file__))


@pytest.fixture(autouse=True)
def mmseg_default_scope():
    """Build nested components (data preprocessor, losses) from mmseg's
    registries, as a Runner with ``default_scope='mmseg'`` does."""
    init_default_scope('mmseg')
