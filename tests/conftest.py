import glob
import os
import os.path as osp
import sys

import pytest
import torch

# The tests run tiny networks, where intra-op threads cost more than they
# give; CI runs two pytest workers (-n 2) on two cores.
torch.set_num_threads(1)

# Shared helpers (tests/fake_datasets.py) import as top-level modules.
sys.path.insert(0, osp.dirname(__file__))

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
