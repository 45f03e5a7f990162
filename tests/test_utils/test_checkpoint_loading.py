import subprocess
import sys

from mmseg_uda.utils.checkpoint_loading import ENV_FLAG


def _env_after(code, env):
    out = subprocess.run([sys.executable, '-c', code],
                         env=env,
                         capture_output=True,
                         text=True,
                         check=True)
    return out.stdout.strip()


def test_import_does_not_change_torch_loading(monkeypatch):
    import os
    env = {k: v for k, v in os.environ.items() if k != ENV_FLAG}
    code = ('import os, mmseg_uda; '
            f'print(os.environ.get("{ENV_FLAG}", "unset"))')
    assert _env_after(code, env) == 'unset'


def test_entry_points_allow_full_loading_but_respect_user(monkeypatch):
    import os
    env = {k: v for k, v in os.environ.items() if k != ENV_FLAG}
    code = ('import os; from mmseg_uda.utils import '
            'allow_full_checkpoint_loading as a; a(); '
            f'print(os.environ["{ENV_FLAG}"])')
    assert _env_after(code, env) == '1'
    env[ENV_FLAG] = '0'
    assert _env_after(code, env) == '0'


def test_full_checkpoint_round_trip(tmp_path, monkeypatch):
    import numpy as np
    import pytest
    import torch

    # An MMEngine-like checkpoint holding a non-tensor object.
    ckpt = {'meta': {'seed': np.int64(3)}, 'state_dict': {}}
    path = tmp_path / 'c.pth'
    torch.save(ckpt, path)
    monkeypatch.delenv(ENV_FLAG, raising=False)
    with pytest.raises(Exception, match='[Ww]eights'):
        torch.load(path)
    monkeypatch.setenv(ENV_FLAG, '1')
    assert torch.load(path)['meta']['seed'] == 3
