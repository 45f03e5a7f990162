"""UDADistributedDataParallel on CPU with gloo and 2 processes.

Two ranks with one source + one target image each must end a few steps
with exactly the weights of one process training on both images (the
losses are per-pixel means over equally sized images without ignored
pixels, and BN uses running statistics), which holds only if every
backward pass (G's and each discriminator's) all-reduced its gradients.
"""
import os
import os.path as osp
import socket

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.config import Config
from mmengine.model import MMDistributedDataParallel
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import mmseg_uda  # noqa: F401,I001
from mmseg.registry import MODEL_WRAPPERS, MODELS
from mmseg.structures import SegDataSample
from mmengine.structures import PixelData

from config_fixtures import tiny_run_cfg

NUM_CLASSES = 5
STEPS = 2
CONFIG = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs', 'demo',
                  'globallocal_synthetic.py')

pytestmark = pytest.mark.skipif(not dist.is_available(),
                                reason='torch.distributed not available')


def _model_cfg():
    norm = dict(type='BN', requires_grad=False)
    head = dict(type='DLV2Head',
                dilations=(1, 2),
                num_classes=NUM_CLASSES,
                align_corners=True,
                loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0))
    return dict(
        type='UDASegmentor',
        segmentor=dict(
            type='EncoderDecoder',
            data_preprocessor=dict(type='SegDataPreProcessor',
                                   mean=[120.0] * 3,
                                   std=[60.0] * 3,
                                   size_divisor=1),
            backbone=dict(type='DLV2ResNet',
                          depth=18,
                          base_channels=4,
                          stem_channels=4,
                          out_indices=(2, 3),
                          strides=(1, 2, 1, 1),
                          dilations=(1, 1, 2, 4),
                          norm_cfg=norm,
                          norm_eval=True,
                          init_cfg=None),
            decode_head=dict(head, in_channels=32, in_index=1),
            auxiliary_head=dict(head,
                                in_channels=16,
                                in_index=0,
                                loss_decode=dict(type='CrossEntropyLoss',
                                                 loss_weight=0.1))),
        aligners=dict(
            output_adv=dict(type='OutputAdversarial',
                            num_classes=NUM_CLASSES,
                            levels=dict(main=0.5, aux=0.1),
                            discriminator=dict(type='FCDiscriminator',
                                               base_channels=4,
                                               num_convs=2)),
            local_adv=dict(type='LocalAdversarial',
                           num_classes=NUM_CLASSES,
                           loss_weight=0.5,
                           theta=1.0,
                           discriminator=dict(type='PixelDiscriminator',
                                              channels=(4, 8)))))


def _optim_cfg():
    sgd = dict(type='OptimWrapper',
               optimizer=dict(type='SGD', lr=0.1, momentum=0.9))
    return {
        'constructor': 'UDAOptimWrapperConstructor',
        'segmentor': sgd,
        'output_adv.discriminators': sgd,
        'local_adv.discriminator': sgd,
    }


def _batch(indices):
    g = torch.Generator().manual_seed(0)
    imgs = torch.randint(0, 256, (2, 2, 3, 24, 32), generator=g,
                         dtype=torch.uint8)
    labels = torch.randint(0, NUM_CLASSES, (2, 1, 24, 32), generator=g)

    def samples(with_label):
        out = []
        for i in indices:
            s = SegDataSample(metainfo=dict(img_shape=(24, 32),
                                            ori_shape=(24, 32)))
            if with_label:
                s.gt_sem_seg = PixelData(data=labels[i])
            out.append(s)
        return out

    return dict(source=dict(inputs=[imgs[0, i] for i in indices],
                            data_samples=samples(True)),
                target=dict(inputs=[imgs[1, i] for i in indices],
                            data_samples=samples(False)))


def _build():
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(_model_cfg())
    model.init_weights()
    model.train()  # norm_eval: BN uses its running statistics
    return model


def _train(model, optim, indices):
    logs = [model.train_step(_batch(indices), optim) for _ in range(STEPS)]
    return logs


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _init(rank, port):
    dist.init_process_group('gloo',
                            init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank,
                            world_size=2)


def _worker(rank, port, out_dir):
    torch.set_num_threads(1)
    _init(rank, port)
    try:
        model = _build()
        if rank == 1:
            # different init on rank 1: DDP must broadcast rank 0's weights
            with torch.no_grad():
                for p in model.parameters():
                    p.add_(1.0)
        wrapper = MODEL_WRAPPERS.build(
            dict(type='UDADistributedDataParallel', module=model))
        optim = build_optim_wrapper(wrapper, _optim_cfg())
        for _ in range(STEPS):
            wrapper.train_step(_batch([rank]), optim)
        torch.save(
            dict(state=model.state_dict(),
                 wrapped=sorted(wrapper.ddp_networks)),
            osp.join(out_dir, f'rank{rank}.pth'))
    finally:
        dist.destroy_process_group()


def test_two_ranks_equal_one_process_on_the_joint_batch(tmp_path):
    reference = _build()
    optim = build_optim_wrapper(reference, _optim_cfg())
    _train(reference, optim, [0, 1])

    mp.spawn(_worker, args=(_free_port(), str(tmp_path)), nprocs=2)

    results = [
        torch.load(tmp_path / f'rank{r}.pth', weights_only=False)
        for r in range(2)
    ]
    assert results[0]['wrapped'] == [
        'local_adv.discriminator', 'output_adv.discriminators.aux',
        'output_adv.discriminators.main', 'segmentor'
    ]
    ref_state = reference.state_dict()
    for rank, result in enumerate(results):
        assert result['state'].keys() == ref_state.keys()
        for key, value in ref_state.items():
            torch.testing.assert_close(result['state'][key],
                                       value,
                                       rtol=1e-4,
                                       atol=1e-5,
                                       msg=f'rank {rank}: {key}')
    # the step changed G and every discriminator
    init = _build().state_dict()
    for prefix in ('segmentor.decode_head', 'aligners.output_adv',
                   'aligners.local_adv'):
        assert any(not torch.equal(init[k], ref_state[k])
                   for k in ref_state if k.startswith(prefix)), prefix


def _refusal_worker(rank, port, out_dir):
    torch.set_num_threads(1)
    _init(rank, port)
    try:
        model = _build()
        # MMEngine's default wrapper: refused when the optimizers are built
        wrapper = MMDistributedDataParallel(module=model)
        try:
            build_optim_wrapper(wrapper, _optim_cfg())
        except TypeError as e:
            with open(osp.join(out_dir, f'err{rank}.txt'), 'w') as f:
                f.write(str(e))
        # ... and a UDA model used without any wrapper under DDP
        optim = build_optim_wrapper(model, _optim_cfg())
        try:
            model.train_step(_batch([rank]), optim)
        except RuntimeError as e:
            with open(osp.join(out_dir, f'step_err{rank}.txt'), 'w') as f:
                f.write(str(e))
    finally:
        dist.destroy_process_group()


def test_default_wrapper_is_refused_with_a_clear_error(tmp_path):
    mp.spawn(_refusal_worker,
             args=(_free_port(), str(tmp_path)),
             nprocs=2)
    for rank in range(2):
        for name in (f'err{rank}.txt', f'step_err{rank}.txt'):
            msg = (tmp_path / name).read_text()
            hint = ('model_wrapper_cfg = '
                    "dict(type='UDADistributedDataParallel')")
            assert hint in msg, name


def test_wrapper_rejects_a_plain_segmentor():
    from mmseg_uda.engine.model_wrappers import UDADistributedDataParallel
    model = _build().segmentor
    with pytest.raises(TypeError, match='distributed_networks'):
        UDADistributedDataParallel(model)


def _runner_worker(rank, port, tmp_path):
    torch.set_num_threads(1)
    os.environ.update(RANK=str(rank),
                      LOCAL_RANK=str(rank),
                      WORLD_SIZE='2',
                      MASTER_ADDR='127.0.0.1',
                      MASTER_PORT=str(port))
    _init(rank, port)
    try:
        cfg = tiny_run_cfg(Config.fromfile(CONFIG), tmp_path, max_iters=3)
        cfg.train_dataloader.batch_size = 2
        for stage in cfg.custom_hooks[0].stages:
            stage.iters = 1
        cfg.launcher = 'pytorch'
        cfg.env_cfg.dist_cfg = dict(backend='gloo')
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
        cfg.train_cfg.val_interval = 100
        runner = Runner.from_cfg(cfg)
        runner.train()
        model = runner.model.module
        # parameters only: BN running statistics are per rank
        # (broadcast_buffers=False, as MMEngine's default wrapper)
        torch.save(dict(model.named_parameters()),
                   osp.join(str(tmp_path), f'runner_rank{rank}.pth'))
    finally:
        dist.destroy_process_group()


def test_runner_trains_the_gl_demo_on_two_ranks(tmp_path):
    """The demo config's stages (all three aligner set-ups) under DDP."""
    mp.spawn(_runner_worker, args=(_free_port(), tmp_path), nprocs=2)
    states = [
        torch.load(tmp_path / f'runner_rank{r}.pth', weights_only=False)
        for r in range(2)
    ]
    for key, value in states[0].items():
        torch.testing.assert_close(states[1][key], value, msg=key)
    ckpt = torch.load(tmp_path / 'work' / 'iter_3.pth', weights_only=False)
    assert set(states[0]) <= set(ckpt['state_dict'])
    assert not any(k.startswith('module.') for k in ckpt['state_dict'])
    assert set(ckpt['optimizer']) == {
        'segmentor', 'output_adv.discriminators', 'local_adv.discriminator'
    }


def _leaf_configs():
    root = osp.join(osp.dirname(__file__), '..', '..', '..', 'configs')
    for dirpath, _, files in os.walk(root):
        if '_base_' in dirpath:
            continue
        for name in sorted(files):
            if name.endswith('.py'):
                yield osp.join(dirpath, name)


def test_every_uda_config_uses_the_uda_wrapper():
    for path in _leaf_configs():
        cfg = Config.fromfile(path)
        if cfg.model.get('type') == 'UDASegmentor':
            wrapper = cfg.get('model_wrapper_cfg') or {}
            assert wrapper.get('type') == 'UDADistributedDataParallel', \
                f'{path}: UDASegmentor config without ' \
                "model_wrapper_cfg=dict(type='UDADistributedDataParallel')"


def _dacs_cfg():
    cfg = _model_cfg()
    cfg['teacher'] = dict(alpha=0.99)
    # no colour augmentation: its draws would differ between one process
    # and two ranks; the masks do not, since each source image holds one
    # class (ceil(1 / 2) = 1: the whole class is pasted)
    cfg['aligners'] = dict(
        mix=dict(type='ClassMixSelfTraining', augment=None))
    return cfg


def _dacs_batch(indices):
    batch = _batch(indices)
    for i, sample in zip(indices, batch['source']['data_samples']):
        label = torch.full((1, 24, 32), i + 1)
        label[:, :, :8] = 255  # void, never pasted
        sample.gt_sem_seg = PixelData(data=label)
    return batch


def _build_dacs():
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(_dacs_cfg())
    model.init_weights()
    model.train()
    return model


def _dacs_optim():
    return {
        'constructor':
        'UDAOptimWrapperConstructor',
        'segmentor':
        dict(type='OptimWrapper',
             optimizer=dict(type='SGD', lr=0.1, momentum=0.9)),
    }


def _dacs_worker(rank, port, out_dir):
    torch.set_num_threads(1)
    _init(rank, port)
    try:
        model = _build_dacs()
        wrapper = MODEL_WRAPPERS.build(
            dict(type='UDADistributedDataParallel', module=model))
        optim = build_optim_wrapper(wrapper, _dacs_optim())
        for _ in range(STEPS):
            wrapper.train_step(_dacs_batch([rank]), optim)
        torch.save(dict(state=model.state_dict()),
                   osp.join(out_dir, f'dacs{rank}.pth'))
    finally:
        dist.destroy_process_group()


def test_dacs_teacher_on_two_ranks_equals_one_process(tmp_path):
    """G's gradients through the mixed batch are all-reduced, and every
    rank's EMA teacher follows the same G: teachers equal across ranks and
    equal to one process training on both images."""
    reference = _build_dacs()
    optim = build_optim_wrapper(reference, _dacs_optim())
    for _ in range(STEPS):
        reference.train_step(_dacs_batch([0, 1]), optim)

    mp.spawn(_dacs_worker, args=(_free_port(), str(tmp_path)), nprocs=2)

    ref_state = reference.state_dict()
    assert int(ref_state['teacher.num_updates']) == STEPS + 1
    for rank in range(2):
        state = torch.load(tmp_path / f'dacs{rank}.pth',
                           weights_only=False)['state']
        assert state.keys() == ref_state.keys()
        for key, value in ref_state.items():
            torch.testing.assert_close(state[key],
                                       value,
                                       rtol=1e-4,
                                       atol=1e-5,
                                       msg=f'rank {rank}: {key}')
