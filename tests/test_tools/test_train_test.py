"""tools/train.py, tools/test.py and the AMP config switch (mmseg_uda.apis).

The end-to-end test trains a tiny EncoderDecoder for a few iterations on a
tiny on-disk dataset in MMSeg's BaseSegDataset layout, resumes it, and tests
the checkpoint, each tool run as a subprocess like a user would.
"""
import copy
import glob
import importlib.util
import json
import os
import os.path as osp
import subprocess
import sys
from collections import OrderedDict

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmseg_uda.apis import enable_amp
from mmseg_uda.utils.checkpoint_loading import ENV_FLAG

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
TRAIN = osp.join(REPO, 'tools', 'train.py')
TEST = osp.join(REPO, 'tools', 'test.py')
CLASSES = ('background', 'square', 'stripe')
SIZE = 32

# ---------------------------------------------------------------- AMP ---


def _single_cfg():
    return Config(
        dict(optim_wrapper=dict(type='OptimWrapper',
                                optimizer=dict(type='SGD', lr=0.01),
                                paramwise_cfg=dict(
                                    custom_keys={'head': dict(lr_mult=10.)}))))


def _multi_cfg():
    return Config(
        dict(optim_wrapper=dict(
            constructor='MultiOptimWrapperConstructor',
            segmentor=dict(type='OptimWrapper',
                           optimizer=dict(type='SGD', lr=0.01)),
            disc_main=dict(type='OptimWrapper',
                           optimizer=dict(type='Adam', lr=1e-4)),
            disc_aux=dict(type='OptimWrapper',
                          optimizer=dict(type='Adam', lr=1e-4)))))


@pytest.mark.parametrize('flag, dtype', [('fp16', 'float16'),
                                         ('bf16', 'bfloat16')])
def test_enable_amp_single_wrapper(flag, dtype):
    cfg = _single_cfg()
    before = copy.deepcopy(cfg.optim_wrapper.to_dict())
    out = enable_amp(cfg, flag)
    assert out is cfg
    wrapper = cfg.optim_wrapper
    assert wrapper.type == 'AmpOptimWrapper'
    assert wrapper.dtype == dtype
    # fp16 needs dynamic loss scaling; bf16 keeps AmpOptimWrapper's default
    assert wrapper.get('loss_scale') == ('dynamic' if flag == 'fp16' else None)
    # everything else untouched
    for key in ('optimizer', 'paramwise_cfg'):
        assert wrapper[key].to_dict() == before[key]


@pytest.mark.parametrize('flag, dtype', [('fp16', 'float16'),
                                         ('bf16', 'bfloat16')])
def test_enable_amp_multi_wrapper(flag, dtype):
    cfg = _multi_cfg()
    enable_amp(cfg, flag)
    wrappers = cfg.optim_wrapper
    assert wrappers.constructor == 'MultiOptimWrapperConstructor'
    assert 'type' not in wrappers  # still a dict of wrappers
    for name in ('segmentor', 'disc_main', 'disc_aux'):
        assert wrappers[name].type == 'AmpOptimWrapper', name
        assert wrappers[name].dtype == dtype
        assert wrappers[name].get('loss_scale') == ('dynamic' if flag == 'fp16'
                                                    else None)
    assert wrappers.disc_main.optimizer.type == 'Adam'


def test_enable_amp_plain_dict_and_already_amp():
    cfg = dict(optim_wrapper=dict(type='AmpOptimWrapper',
                                  optimizer=dict(type='SGD', lr=0.1),
                                  loss_scale=512.))
    enable_amp(cfg, 'bf16')
    assert cfg['optim_wrapper']['dtype'] == 'bfloat16'
    assert cfg['optim_wrapper']['loss_scale'] == 512.  # user value kept


@pytest.mark.parametrize('cfg, pattern', [
    (dict(optim_wrapper=dict(type='OptimWrapper')), 'unknown dtype'),
    (dict(), 'no optim_wrapper'),
    (dict(optim_wrapper=dict(type='ApexOptimWrapper')), 'ApexOptimWrapper'),
    (dict(optim_wrapper=dict(constructor='X', a=dict(type='Foo'))),
     r"optim_wrapper\.a.*'Foo'"),
    (dict(optim_wrapper=dict(constructor='X')), 'none of its entries'),
])
def test_enable_amp_errors(cfg, pattern):
    dtype = 'int8' if pattern == 'unknown dtype' else 'fp16'
    with pytest.raises(ValueError, match=pattern):
        enable_amp(cfg, dtype)


def _load_tool(path):
    spec = importlib.util.spec_from_file_location(
        'tool_' + osp.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('argv, dtype', [(['--amp'], 'float16'),
                                         (['--amp', 'bf16'], 'bfloat16'),
                                         ([], None)])
def test_train_cli_amp_flag(tmp_path, argv, dtype):
    cfg_file = tmp_path / 'cfg.py'
    _multi_cfg().dump(str(cfg_file))
    train = _load_tool(TRAIN)
    args = train.parse_args([str(cfg_file), '--work-dir',
                             str(tmp_path / 'w')] + argv)
    cfg = train.build_cfg(args)
    for name in ('segmentor', 'disc_main'):
        if dtype is None:
            assert cfg.optim_wrapper[name].type == 'OptimWrapper'
        else:
            assert cfg.optim_wrapper[name].type == 'AmpOptimWrapper'
            assert cfg.optim_wrapper[name].dtype == dtype
    assert cfg.work_dir == str(tmp_path / 'w')


def test_train_cli_resume_forms(tmp_path):
    cfg_file = tmp_path / 'cfg.py'
    _single_cfg().dump(str(cfg_file))
    train = _load_tool(TRAIN)
    cfg = train.build_cfg(train.parse_args([str(cfg_file), '--resume']))
    assert cfg.resume is True and cfg.load_from is None
    ckpt = tmp_path / 'iter_2.pth'
    ckpt.write_bytes(b'')
    cfg = train.build_cfg(
        train.parse_args([str(cfg_file), '--resume',
                          str(ckpt)]))
    assert cfg.resume is True and cfg.load_from == str(ckpt)
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        train.build_cfg(
            train.parse_args(
                [str(cfg_file), '--resume',
                 str(tmp_path / 'missing.pth')]))
    with pytest.raises(FileNotFoundError, match='nope.py'):
        train.build_cfg(train.parse_args([str(tmp_path / 'nope.py')]))


@pytest.mark.parametrize('tool', [TRAIN, TEST])
def test_tools_help_mentions_trusted_checkpoints(tool, capsys):
    module = _load_tool(tool)
    with pytest.raises(SystemExit) as exc:
        module.parse_args(['--help'])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert 'trust' in out and 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD' in out
    for flag in ('--work-dir', '--cfg-options', '--launcher', '--local-rank'):
        assert flag in out, flag
    extra = (('--resume', '--amp') if tool == TRAIN else
             ('--out', '--show', '--show-dir', '--wait-time', '--tta'))
    for flag in extra:
        assert flag in out, flag


def test_test_cli_out_show_dir(tmp_path):
    cfg = Config(
        dict(test_evaluator=[
            dict(type='SubsetIoUMetric'),
            dict(type='IoUMetric')
        ],
             default_hooks=dict(visualization=dict(
                 type='SegVisualizationHook')),
             visualizer=dict(type='SegLocalVisualizer')))
    cfg_file = tmp_path / 'cfg.py'
    cfg.dump(str(cfg_file))
    ckpt = tmp_path / 'c.pth'
    ckpt.write_bytes(b'')
    test = _load_tool(TEST)
    out = test.build_cfg(
        test.parse_args(
            [str(cfg_file),
             str(ckpt), '--out', 'preds', '--show-dir', 'vis']))
    assert out.load_from == str(ckpt) and out.resume is False
    assert all(m.output_dir == 'preds' for m in out.test_evaluator)
    assert out.default_hooks.visualization.draw is True
    assert out.visualizer.save_dir == 'vis'
    with pytest.raises(ValueError, match='tta_pipeline'):
        test.build_cfg(test.parse_args([str(cfg_file), str(ckpt), '--tta']))
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        test.build_cfg(
            test.parse_args([str(cfg_file),
                             str(tmp_path / 'nope.pth')]))


# -------------------------------------------------------- end to end ---


def _write_dataset(root):
    """Tiny BaseSegDataset layout: img_dir/{train,val}, ann_dir/{...}."""
    rng = np.random.default_rng(0)
    names = dict(train=['t0', 't1', 't2', 't3'], val=['v0', 'v1'])
    for split, stems in names.items():
        os.makedirs(osp.join(root, 'img_dir', split))
        os.makedirs(osp.join(root, 'ann_dir', split))
        for stem in stems:
            label = np.zeros((SIZE, SIZE), np.uint8)
            y, x = rng.integers(2, SIZE // 2, size=2)
            label[y:y + 12, x:x + 12] = 1
            label[:, rng.integers(0, SIZE - 4):][:, :3] = 2
            label[0, :4] = 255  # some ignore pixels
            img = (
                rng.normal(0, 20, (SIZE, SIZE, 3)) +
                np.array([60., 120., 180.])[label.clip(0, 2)][..., None]).clip(
                    0, 255).astype(np.uint8)
            cv2.imwrite(osp.join(root, 'img_dir', split, stem + '.png'), img)
            cv2.imwrite(osp.join(root, 'ann_dir', split, stem + '_gt.png'),
                        label)
    return names


def _write_config(path, data_root):
    base = osp.join(REPO, 'configs', '_base_')
    text = f"""
_base_ = [
    {osp.join(base, 'default_runtime.py')!r},
    {osp.join(base, 'schedules', 'schedule_uda_250k_poly.py')!r},
]
data_root = {str(data_root)!r}
metainfo = dict(classes={CLASSES!r}, palette=[[0, 0, 0], [255, 0, 0],
                                              [0, 255, 0]])
dataset_type = 'BaseSegDataset'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(24, 24), keep_ratio=False),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=2, num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, metainfo=metainfo,
                 img_suffix='.png', seg_map_suffix='_gt.png',
                 data_prefix=dict(img_path='img_dir/train',
                                  seg_map_path='ann_dir/train'),
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, metainfo=metainfo,
                 img_suffix='.png', seg_map_suffix='_gt.png',
                 data_prefix=dict(img_path='img_dir/val',
                                  seg_map_path='ann_dir/val'),
                 pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='SubsetIoUMetric', subsets=dict(mIoUfg=[1, 2]))
test_evaluator = val_evaluator
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(type='SegDataPreProcessor',
                           mean=[120., 120., 120.], std=[60., 60., 60.],
                           bgr_to_rgb=False, size=({SIZE}, {SIZE})),
    backbone=dict(type='ResNet', depth=18, num_stages=2, stem_channels=8,
                  base_channels=8, strides=(1, 2), dilations=(1, 1),
                  out_indices=(1, )),
    decode_head=dict(type='FCNHead', in_channels=16, channels=8,
                     num_convs=1, concat_input=False,
                     num_classes={len(CLASSES)}, align_corners=True,
                     loss_decode=dict(type='CrossEntropyLoss',
                                      loss_weight=1.0)),
    train_cfg=dict(), test_cfg=dict(mode='whole'))
optim_wrapper = dict(optimizer=dict(lr=0.01))
train_cfg = dict(max_iters=2, val_interval=2)
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=2, max_keep_ckpts=3))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
"""
    path.write_text(text)


def _run(args, cwd):
    env = dict(os.environ, PYTHONWARNINGS='ignore')
    proc = subprocess.run([sys.executable] + args,
                          cwd=cwd,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=240)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    return output


def _scalars(work_dir):
    """Training records (with 'loss') of every run in ``work_dir``."""
    records = []
    for path in sorted(
            glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            records.append([json.loads(line) for line in f])
    return records


def test_train_resume_test_end_to_end(tmp_path):
    data_root = tmp_path / 'data'
    names = _write_dataset(str(data_root))
    cfg_file = tmp_path / 'tiny_cfg.py'
    _write_config(cfg_file, data_root)
    work_dir = tmp_path / 'work'

    # 1. train 2 iterations (with validation at iter 2)
    out = _run([TRAIN, str(cfg_file), '--work-dir',
                str(work_dir)],
               cwd=str(tmp_path))
    assert (work_dir / 'iter_2.pth').is_file()
    assert 'mIoUfg' in out and 'per class results' in out
    runs = _scalars(str(work_dir))
    assert len(runs) == 1
    train_iters = [r['iter'] for r in runs[0] if 'loss' in r]
    assert train_iters == [1, 2]
    val = [r for r in runs[0] if 'mIoU' in r]
    assert val and {'mIoUfg', 'aAcc', 'IoU.square'} <= set(val[0])
    # TensorBoard is a configured backend: an event file is written
    assert glob.glob(str(work_dir / '*' / 'vis_data' / 'events.out.*'))

    # 2. resume from the latest checkpoint and go on to iteration 4
    out = _run([
        TRAIN,
        str(cfg_file), '--work-dir',
        str(work_dir), '--resume', '--cfg-options', 'train_cfg.max_iters=4'
    ],
               cwd=str(tmp_path))
    assert 'resumed' in out.lower()
    assert (work_dir / 'iter_4.pth').is_file()
    runs = _scalars(str(work_dir))
    assert len(runs) == 2
    assert [r['iter'] for r in runs[1] if 'loss' in r] == [3, 4]
    # PolyLR of the base schedule, restored on resume: the lr logged at
    # iteration i (1-based) is base_lr * (1 - (i - 1) / 250000) ** 0.9,
    # i.e. the 250k horizon, not max_iters.
    for record in runs[0] + runs[1]:
        if 'loss' in record:
            expected = 0.01 * (1 - (record['iter'] - 1) / 250000)**0.9
            assert record['lr'] == pytest.approx(expected, rel=1e-9)
    ckpt = torch.load(str(work_dir / 'iter_4.pth'),
                      map_location='cpu',
                      weights_only=False)
    # paramwise_cfg: decode_head parameters at 10x the base lr
    assert {
        round(g['initial_lr'], 10)
        for g in ckpt['optimizer']['param_groups']
    } == {0.01, 0.1}

    # 3. test the checkpoint: predictions, painted images, metrics
    preds, show, test_dir = (tmp_path / 'preds', tmp_path / 'show',
                             tmp_path / 'test_work')
    out = _run([
        TEST,
        str(cfg_file),
        str(work_dir / 'iter_4.pth'), '--out',
        str(preds), '--show-dir',
        str(show), '--work-dir',
        str(test_dir), '--cfg-options',
        'default_hooks.visualization.interval=1'
    ],
               cwd=str(tmp_path))
    for stem in names['val']:
        pred = cv2.imread(str(preds / f'{stem}.png'), cv2.IMREAD_UNCHANGED)
        assert pred is not None, stem
        # label resolution (not the 24x24 network input), valid class ids
        assert pred.shape == (SIZE, SIZE)
        assert pred.max() < len(CLASSES)
    painted = glob.glob(str(show / '**' / '*.png'), recursive=True)
    assert len(painted) == len(names['val'])
    metric_files = glob.glob(str(test_dir / '*' / '*.json'))
    assert len(metric_files) == 1
    with open(metric_files[0]) as f:
        metrics = json.load(f)
    for key in ('aAcc', 'mIoU', 'mAcc', 'mIoUfg', 'IoU.background',
                'IoU.square', 'IoU.stripe'):
        assert key in metrics, key
    assert 0 <= metrics['aAcc'] <= 100
    # the subset is the mean of the per-class entries it names
    fg = [metrics['IoU.square'], metrics['IoU.stripe']]
    fg = [v for v in fg if v == v]  # drop NaN
    if fg:
        assert metrics['mIoUfg'] == pytest.approx(np.mean(fg), abs=0.011)
    assert 'mIoUfg' in out


def _tiny_run_dirs(tmp_path):
    data_root = tmp_path / 'data'
    _write_dataset(str(data_root))
    cfg_file = tmp_path / 'tiny_cfg.py'
    _write_config(cfg_file, data_root)
    return cfg_file, tmp_path / 'work'


@pytest.mark.skipif(
    not torch.cuda.is_available(),
    reason='MMEngine AmpOptimWrapper needs CUDA (asserts on CPU, also bf16)')
@pytest.mark.parametrize('flag', ['fp16', 'bf16'])
def test_train_amp_step_on_gpu(tmp_path, flag):
    cfg_file, work_dir = _tiny_run_dirs(tmp_path)
    out = _run([
        TRAIN,
        str(cfg_file), '--work-dir',
        str(work_dir), '--amp', flag, '--cfg-options', 'train_cfg.max_iters=1',
        'train_cfg.val_interval=100'
    ],
               cwd=str(tmp_path))
    assert (work_dir / 'iter_1.pth').is_file()
    ckpt = torch.load(str(work_dir / 'iter_1.pth'),
                      map_location='cpu',
                      weights_only=False)
    # AmpOptimWrapper stores its GradScaler state next to the optimizer's
    assert 'loss_scaler' in ckpt['optimizer']
    assert 'AmpOptimWrapper' in out


# ------------------------------------------------------ dist scripts ---


def _fake_python(tmp_path):
    """A stand-in interpreter that prints the command line it was given."""
    fake = tmp_path / 'fake_python'
    fake.write_text('#!/usr/bin/env bash\nfor a in "$@"; do echo "$a"; '
                    'done\necho "PYTHONPATH=$PYTHONPATH"\n')
    fake.chmod(0o755)
    return str(fake)


@pytest.mark.parametrize('script, positional, tool', [
    ('dist_train.sh', ['cfg.py', '4'], 'train.py'),
    ('dist_test.sh', ['cfg.py', 'ckpt.pth', '4'], 'test.py'),
])
def test_dist_scripts_command_line(tmp_path, script, positional, tool):
    env = dict(os.environ,
               PYTHON=_fake_python(tmp_path),
               NNODES='2',
               NODE_RANK='1',
               PORT='29555',
               MASTER_ADDR='10.0.0.7')
    path = osp.join(REPO, 'tools', script)
    proc = subprocess.run(['bash', path] + positional + ['--foo', 'a b'],
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    args = proc.stdout.splitlines()
    tool_path = osp.join(osp.dirname(path), tool)
    expected = [
        '-m', 'torch.distributed.run', '--nnodes=2', '--node_rank=1',
        '--master_addr=10.0.0.7', '--nproc_per_node=4', '--master_port=29555',
        tool_path
    ] + positional[:-1] + ['--launcher', 'pytorch', '--foo', 'a b']
    assert args[:-1] == expected
    assert args[-1].startswith(f'PYTHONPATH={osp.dirname(path)}/..')

    # missing arguments: usage message, non-zero exit
    proc = subprocess.run(['bash', path, 'cfg.py'],
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=60)
    assert proc.returncode != 0 and 'usage' in proc.stderr


# --------------------------------------------------- export segmentor ---


def test_export_segmentor(tmp_path, monkeypatch):
    # main() allows full unpickling for its process; keep that out of the
    # rest of the test session (monkeypatch undoes it).
    monkeypatch.setenv(ENV_FLAG, '1')
    export = _load_tool(osp.join(REPO, 'tools', 'export_segmentor.py'))
    weight = torch.arange(6.).reshape(2, 3)
    src = tmp_path / 'uda.pth'
    torch.save(
        dict(meta=dict(iter=10, seed=0, mmseg_version='1.2.2'),
             state_dict=OrderedDict([
                 ('segmentor.backbone.conv.weight', weight),
                 ('segmentor.decode_head.conv_seg.bias', torch.ones(3)),
                 ('aligners.adv.disc.0.weight', torch.zeros(1)),
             ]),
             optimizer=dict(state={}),
             message_hub=dict(log_scalars={})), str(src))
    dst = tmp_path / 'out' / 'plain.pth'
    export.main([str(src), str(dst)])

    out = torch.load(str(dst), map_location='cpu', weights_only=True)
    assert set(out) == {'state_dict', 'meta'}
    assert list(out['state_dict']) == [
        'backbone.conv.weight', 'decode_head.conv_seg.bias'
    ]
    torch.testing.assert_close(out['state_dict']['backbone.conv.weight'],
                               weight)
    assert out['meta'] == dict(mmseg_version='1.2.2')
    # atomic write: no temporary file left next to the output
    assert os.listdir(tmp_path / 'out') == ['plain.pth']

    # the exported keys load into a plain module with those names
    bare = tmp_path / 'bare.pth'
    torch.save(
        {
            'segmentor.weight': torch.ones(2, 2),
            'segmentor.bias': torch.zeros(2)
        }, str(bare))
    export.main([str(bare), str(tmp_path / 'bare_out.pth')])
    linear = torch.nn.Linear(2, 2)
    linear.load_state_dict(
        torch.load(str(tmp_path / 'bare_out.pth'),
                   weights_only=True)['state_dict'])
    torch.testing.assert_close(linear.weight, torch.ones(2, 2))


def test_export_segmentor_errors(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_FLAG, '1')
    export = _load_tool(osp.join(REPO, 'tools', 'export_segmentor.py'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        export.main([str(tmp_path / 'missing.pth'), str(tmp_path / 'o.pth')])
    plain = tmp_path / 'plain.pth'
    torch.save(dict(state_dict={'backbone.w': torch.ones(1)}), str(plain))
    with pytest.raises(ValueError, match=r"plain\.pth.*'segmentor\.'"):
        export.main([str(plain), str(tmp_path / 'o.pth')])
    garbage = tmp_path / 'garbage.pth'
    garbage.write_bytes(b'not a checkpoint')
    with pytest.raises(ValueError, match='garbage.pth'):
        export.main([str(garbage), str(tmp_path / 'o.pth')])
    assert not (tmp_path / 'o.pth').exists()
