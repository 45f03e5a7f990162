import pytest
from mmengine.registry import init_default_scope

import mmseg_uda  # noqa: F401  (mmcv-lite shim and registrations)


@pytest.fixture(autouse=True)
def mmseg_default_scope():
    """Build pipelines in the ``mmseg`` scope, as a Runner with
    ``default_scope='mmseg'`` does."""
    init_default_scope('mmseg')
