import pytest
from mmengine.registry import init_default_scope


@pytest.fixture(autouse=True)
def mmseg_default_scope():
    """Build nested components (data preprocessor, losses) from mmseg's
    registries, as a Runner with ``default_scope='mmseg'`` does."""
    init_default_scope('mmseg')
