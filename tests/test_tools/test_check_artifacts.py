"""tools/check_artifacts.py and mmseg_uda.utils.checksums, by hand."""
import hashlib

import pytest

from mmseg_uda.utils.checksums import (embedded_prefix, read_sha256_list,
                                       tree_sha256)
from tool_loading import load_tool


def _tool():
    return load_tool('check_artifacts.py')


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_tree_digest_by_hand(tmp_path):
    (tmp_path / 'd' / 'sub').mkdir(parents=True)
    (tmp_path / 'd' / 'b.txt').write_bytes(b'bee')
    (tmp_path / 'd' / 'sub' / 'a.txt').write_bytes(b'ay')
    lines = (f'b.txt\0{_sha(b"bee")}\n'
             f'sub/a.txt\0{_sha(b"ay")}\n').encode()
    assert tree_sha256(str(tmp_path / 'd')) == _sha(lines)
    (tmp_path / 'd' / 'sub' / 'a.txt').write_bytes(b'AY')
    assert tree_sha256(str(tmp_path / 'd')) != _sha(lines)


def test_prefix_in_released_names_and_list_format(tmp_path):
    assert embedded_prefix('x/vgg19-dcbb9e9d.pth') == 'dcbb9e9d'
    assert embedded_prefix('mit_b5_20220624-658746d9.pth') == '658746d9'
    assert embedded_prefix('pretrain/deeplabv2_init-imagenet.pth') is None
    bad = tmp_path / 'bad.sha256'
    bad.write_text('# comment\nnot-a-digest  x\n')
    with pytest.raises(ValueError, match=r'bad.sha256:2'):
        read_sha256_list(str(bad))


def _config(tmp_path, weights_name):
    weights = tmp_path / 'pretrain' / weights_name
    weights.parent.mkdir()
    weights.write_bytes(b'weights')
    init = tmp_path / 'init.pth'
    init.write_bytes(b'init')
    data = tmp_path / 'data' / 'translated'
    (data / 'images').mkdir(parents=True)
    (data / 'images' / '0.png').write_bytes(b'png')
    cfg = tmp_path / 'cfg.py'
    cfg.write_text(f'''
load_from = {str(init)!r}
model = dict(type='X', backbone=dict(init_cfg=dict(type='Pretrained',
             checkpoint={str(weights)!r})))
train_dataloader = dict(dataset=dict(type='UDADataset',
    source=dict(type='GTA5Dataset', data_root={str(data)!r}),
    target=dict(type='CityscapesDataset', data_root={str(data)!r})))
''')
    return str(cfg), weights, init, data


def test_write_then_check_then_detect_a_change(tmp_path, capsys):
    tool = _tool()
    cfg, weights, init, data = _config(tmp_path, 'w.pth')
    listing = str(tmp_path / 'site.sha256')
    assert tool.main([cfg, '--hash-data', '--write', listing]) == 0
    recorded = read_sha256_list(listing)
    assert recorded[str(init)] == _sha(b'init')
    assert recorded[str(weights)] == _sha(b'weights')
    assert recorded[str(data) + '/'] == tree_sha256(str(data))

    assert tool.main([cfg, '--checksums', listing, '--hash-data']) == 0
    assert 'ok (recorded sha256)' in capsys.readouterr().out
    (data / 'images' / '0.png').write_bytes(b'changed')
    assert tool.main([cfg, '--checksums', listing, '--hash-data']) == 1
    assert 'MISMATCH' in capsys.readouterr().out
    init.unlink()
    assert tool.main([cfg, '--checksums', listing]) == 1
    assert 'missing' in capsys.readouterr().out


def test_released_weights_checked_by_their_name(tmp_path, capsys):
    tool = _tool()
    good = f'w-{_sha(b"weights")[:8]}.pth'
    (tmp_path / 'a').mkdir()
    cfg, *_ = _config(tmp_path / 'a', good)
    assert tool.main([cfg]) == 0
    assert f'ok (name prefix {_sha(b"weights")[:8]})' in capsys.readouterr(
    ).out
    (tmp_path / 'b').mkdir()
    cfg, *_ = _config(tmp_path / 'b', 'w-00000000.pth')
    assert tool.main([cfg]) == 1
    assert "does not start with the name's 00000000" in capsys.readouterr(
    ).out


def test_urls_are_looked_up_in_the_hub_cache(monkeypatch, tmp_path):
    import torch
    monkeypatch.setattr(torch.hub, 'get_dir', lambda: str(tmp_path))
    item = _tool().resolve_checkpoint(
        'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth')
    assert item['path'] == str(tmp_path / 'checkpoints' /
                               'vgg19-dcbb9e9d.pth')
