import glob
import itertools
import os
import os.path as osp
import sys

import mmengine.config.config as mmengine_config
import pytest
import torch
from mmengine.runner import Runner

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

_runner_init = Runner.__init__
_runner_ids = itertools.count()


def _runner_init_with_own_name(self, *args, experiment_name=None, **kwargs):
    if experiment_name is None:
        experiment_name = f'test_runner_{os.getpid()}_{next(_runner_ids)}'
    _runner_init(self, *args, experiment_name=experiment_name, **kwargs)


# A Runner without an experiment name is named after its start second, and
# its MessageHub, logger and visualizer are process-wide instances looked up
# by that name: two Runners started in the same second in one pytest worker
# (a full run and a resumed one, or the last Runner of the previous test)
# share one MessageHub and see each other's logged losses. Seen in CI as a
# flaky resume test whose logged loss history held another run's values.
Runner.__init__ = _runner_init_with_own_name

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
