import importlib.util
from pathlib import Path

import pytest
import torch
from mmseg.registry import MODELS

import mmseg_uda  # noqa: F401

TOOL = (Path(__file__).parents[2] / 'tools' / 'model_converters' /
        'deeplabv2_init.py')


def _tool():
    spec = importlib.util.spec_from_file_location('deeplabv2_init', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tiny_backbone(**kwargs):
    return MODELS.build(
        dict(type='DLV2ResNet',
             depth=50,
             stem_channels=4,
             base_channels=4,
             **kwargs))


def _deeplab_checkpoint(path, drop=(), extra=None):
    """A DeepLab-v2-style init file built from a tiny DLV2ResNet."""
    torch.manual_seed(0)
    model = _tiny_backbone()
    for buf_name, buf in model.named_buffers():
        if 'running' in buf_name:
            buf.uniform_(0.5, 1.5)
    sd = {}
    for k, v in model.state_dict().items():
        # checkpoints of PyTorch < 0.4 have no num_batches_tracked
        if k.endswith('num_batches_tracked') or k in drop:
            continue
        sd['Scale.' + k] = v.clone()
    # the COCO classifier of the original file (4 dilated branches)
    for i in range(4):
        sd[f'Scale.layer5.conv2d_list.{i}.weight'] = torch.randn(21, 64, 3, 3)
        sd[f'Scale.layer5.conv2d_list.{i}.bias'] = torch.randn(21)
    sd.update(extra or {})
    torch.save(sd, path)
    return model.state_dict()


ARGS = ['--depth', '50', '--base-channels', '4']


def test_convert_and_load_strict(tmp_path):
    src, dst = tmp_path / 'DeepLab_init.pth', tmp_path / 'out' / 'conv.pth'
    expected = _deeplab_checkpoint(src)
    _tool().main([str(src), str(dst)] + ARGS)
    assert sorted(p.name for p in dst.parent.iterdir()) == ['conv.pth']
    ckpt = torch.load(dst, map_location='cpu', weights_only=True)
    sd = ckpt['state_dict']
    assert not any(k.startswith(('Scale.', 'layer5')) for k in sd)
    assert set(sd) == set(expected)
    model = _tiny_backbone()
    model.load_state_dict(sd, strict=True)
    for k, v in expected.items():
        if not k.endswith('num_batches_tracked'):
            assert torch.equal(model.state_dict()[k], v), k

    # the config route: init_cfg=Pretrained loads it
    via_cfg = _tiny_backbone(
        init_cfg=dict(type='Pretrained', checkpoint=str(dst)))
    via_cfg.init_weights()
    assert torch.equal(via_cfg.layer4[0].conv2.weight,
                       expected['layer4.0.conv2.weight'])
    assert torch.equal(via_cfg.bn1.running_var, expected['bn1.running_var'])


def test_convert_function_reports_every_problem(tmp_path):
    tool = _tool()
    reference = tool.reference_shapes(depth=50, base_channels=4)
    good = {
        'Scale.' + k: torch.zeros(s)
        for k, s in reference.items() if 'num_batches' not in k
    }
    out = tool.convert(good, reference)
    assert list(out) == list(reference)
    assert out['bn1.num_batches_tracked'].item() == 0

    bad = dict(good)
    del bad['Scale.layer2.0.conv1.weight']
    bad['Scale.fc.weight'] = torch.zeros(3)
    bad['Scale.conv1.weight'] = torch.zeros(4, 3, 3, 3)
    with pytest.raises(ValueError) as err:
        tool.convert(bad, reference, source='X.pth')
    msg = str(err.value)
    for part in ('X.pth', 'missing keys (1)', 'layer2.0.conv1.weight',
                 'unexpected keys (1)', 'fc.weight', 'conv1.weight: got '
                 '(4, 3, 3, 3), expected (4, 3, 7, 7)'):
        assert part in msg


def test_cli_errors_leave_no_output(tmp_path):
    tool = _tool()
    src, dst = tmp_path / 'in.pth', tmp_path / 'out.pth'
    _deeplab_checkpoint(src, drop=('layer3.1.bn2.weight', ))
    with pytest.raises(ValueError, match=r'layer3\.1\.bn2\.weight'):
        tool.main([str(src), str(dst)] + ARGS)
    # validated against ResNet-101 by default: a depth-50 file is rejected
    _deeplab_checkpoint(src)
    with pytest.raises(ValueError, match='missing keys'):
        tool.main([str(src), str(dst)])
    with pytest.raises(FileNotFoundError, match='nothere.pth'):
        tool.main([str(tmp_path / 'nothere.pth'), str(dst)] + ARGS)
    (tmp_path / 'junk.pth').write_bytes(b'not a checkpoint')
    with pytest.raises(ValueError, match='junk.pth'):
        tool.main([str(tmp_path / 'junk.pth'), str(dst)] + ARGS)
    torch.save([1, 2, 3], tmp_path / 'list.pth')
    with pytest.raises(ValueError, match='expected a state dict'):
        tool.main([str(tmp_path / 'list.pth'), str(dst)] + ARGS)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        'in.pth', 'junk.pth', 'list.pth'
    ]
