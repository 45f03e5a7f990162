import glob
import os
import os.path as osp
import sys

import mmengine.config.config as mmengine_config
import pytest
import torch

# The tests run tiny networks, where intra-op threads cost more than they
# give; CI runs two pytest workers (-n 2) on two cores.
torch.set_num_threads(1)

# Shared helpers (tests/fake_datasets.py) import as top-level modules.
sys.path.insert(0, osp.dirname(__file__))


def _unformatted(text, **kwargs):
    return text, None


# Every Runner dumps its config, and MMEngine runs yapf over the dump:
# 1-8 s per build for our larger configs (measured: the GL-on-BDL SYNTHIA
# leaf 8.2 s, SIM 4.1 s on the 2-core machine), minutes over the suite's
# hundreds of Runners. The unformatted dump is the same valid Python; the
# tests read dumped configs back but never their layout.
mmengine_config.FormatCode = _unformatted

#: Checkpoints above this size are deleted when their test ends.
_BIG_FILE = 10 * 2**20


@pytest.fixture(autouse=True)
def _drop_big_checkpoints(request):
    """Delete a test's large checkpoints once it has finished.

    Runner tests of the real configs (ResNet-101 G + discriminators +
    optimizer state) write checkpoints of several hundred MB each; pytest
    keeps every tmp_path until the session ends, which would fill the disk
    of a CI machine long before the suite finishes.
    """
    if 'tmp_path' not in request.fixturenames:
        yield
        return
    # requested before the test runs, so it is torn down after this
    root = str(request.getfixturevalue('tmp_path'))
    yield
    for path in glob.glob(osp.join(root, '**', '*.pth'), recursive=True):
        try:
            if osp.getsize(path) > _BIG_FILE:
                os.remove(path)
        except OSError:
            pass
