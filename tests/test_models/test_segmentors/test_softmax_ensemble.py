"""SoftmaxEnsemble: the weighted softmax average of separately trained
segmentors, their checkpoints, and ``tools/test.py --ensemble`` (issue 20,
ADVENT's "AdvEnt+MinEnt" row)."""
import copy
import glob
import importlib.util
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmengine.structures import PixelData

import mmseg_uda  # noqa: F401,I001  (mmcv-lite shim before mmseg)
from config_fixtures import tiny_run_cfg
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg_uda.models.segmentors import SoftmaxEnsemble
from mmseg_uda.utils.checkpoint_loading import ENV_FLAG

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..'))
TEST = osp.join(REPO, 'tools', 'test.py')
ADVENT = osp.join(REPO, 'configs', 'advent', 'deeplabv2_gta2city.py')
MINENT = osp.join(REPO, 'configs', 'advent', 'deeplabv2_minent_gta2city.py')
DEMO = osp.join(REPO, 'configs', 'demo', 'advent_synthetic.py')
NUM_CLASSES = 4

PREPROCESSOR = dict(type='SegDataPreProcessor',
                    mean=[123.675, 116.28, 103.53],
                    std=[58.395, 57.12, 57.375],
                    bgr_to_rgb=True,
                    pad_val=0,
                    seg_pad_val=255)


def dlv2_net(num_classes=NUM_CLASSES, test_cfg=None):
    """A tiny DeepLab-v2 (DLV2ResNet-18, 8 channels, main + aux head)."""
    return dict(type='EncoderDecoder',
                data_preprocessor=copy.deepcopy(PREPROCESSOR),
                backbone=dict(type='DLV2ResNet',
                              depth=18,
                              base_channels=8,
                              stem_channels=8,
                              out_indices=(0, 1, 2, 3),
                              strides=(1, 2, 1, 1),
                              dilations=(1, 1, 2, 4),
                              init_cfg=None),
                decode_head=dict(type='DLV2Head',
                                 in_channels=64,
                                 in_index=3,
                                 dilations=(1, 2),
                                 num_classes=num_classes,
                                 align_corners=True,
                                 loss_decode=dict(type='CrossEntropyLoss')),
                auxiliary_head=dict(type='DLV2Head',
                                    in_channels=32,
                                    in_index=2,
                                    dilations=(1, 2),
                                    num_classes=num_classes,
                                    align_corners=True,
                                    loss_decode=dict(type='CrossEntropyLoss',
                                                     loss_weight=0.1)),
                train_cfg=dict(),
                test_cfg=test_cfg or dict(mode='whole'))


def fcn_net():
    """Another architecture (ResNet + FCNHead, align_corners=False) that
    predicts by sliding windows."""
    return dict(type='EncoderDecoder',
                data_preprocessor=copy.deepcopy(PREPROCESSOR),
                backbone=dict(type='ResNet',
                              depth=18,
                              num_stages=2,
                              stem_channels=8,
                              base_channels=8,
                              strides=(1, 2),
                              dilations=(1, 1),
                              out_indices=(1, )),
                decode_head=dict(type='FCNHead',
                                 in_channels=16,
                                 channels=8,
                                 num_convs=1,
                                 concat_input=False,
                                 num_classes=NUM_CLASSES,
                                 align_corners=False,
                                 loss_decode=dict(type='CrossEntropyLoss')),
                train_cfg=dict(),
                test_cfg=dict(mode='slide', crop_size=(16, 16),
                              stride=(12, 12)))


def build(members, weights=None, seed=0, **kwargs):
    torch.manual_seed(seed)
    model = MODELS.build(
        dict(type='SoftmaxEnsemble',
             members=members,
             weights=weights,
             **kwargs))
    return model.eval()


def raw_batch():
    """Two uint8 images (24x32) with labels at their ``ori_shape`` (30x40),
    the second one flipped: the members undo the flip and resize."""
    gen = torch.Generator().manual_seed(1)
    inputs, samples = [], []
    for flip in (False, True):
        inputs.append(
            torch.randint(0, 256, (3, 24, 32), generator=gen,
                          dtype=torch.uint8))
        sample = SegDataSample(metainfo=dict(img_shape=(24, 32),
                                             ori_shape=(30, 40),
                                             flip=flip,
                                             flip_direction='horizontal'))
        sample.gt_sem_seg = PixelData(data=torch.randint(
            0, NUM_CLASSES, (1, 30, 40), generator=gen))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def by_hand(model, data, weights):
    """sum_i w_i softmax(member_i's own test_step seg_logits), per image."""
    probs = None
    for w, member in zip(weights, model.members):
        preds = member.test_step(copy.deepcopy(data))
        p = [w * s.seg_logits.data.softmax(dim=0) for s in preds]
        probs = p if probs is None else [a + b for a, b in zip(probs, p)]
    return probs


# ------------------------------------------------------------- model ---


def test_registered():
    assert MODELS.get('SoftmaxEnsemble') is SoftmaxEnsemble


@pytest.mark.parametrize('weights', [None, [0.25, 0.75]])
def test_predict_is_the_weighted_softmax_average(weights):
    model = build([dict(model=dlv2_net()), dict(model=fcn_net())], weights)
    expected_w = weights or [0.5, 0.5]
    assert model.weights == tuple(expected_w)
    data = raw_batch()
    with torch.no_grad():
        expected = by_hand(model, data, expected_w)
        out = model.test_step(copy.deepcopy(data))
    assert len(out) == 2
    for sample, prob, gt in zip(out, expected, data['data_samples']):
        # label size (ori_shape), log of the averaged probabilities
        assert sample.seg_logits.data.shape == (NUM_CLASSES, 30, 40)
        torch.testing.assert_close(sample.seg_logits.data.exp(), prob)
        torch.testing.assert_close(sample.seg_logits.data.softmax(0), prob)
        assert torch.equal(sample.pred_sem_seg.data,
                           prob.argmax(dim=0, keepdim=True))
        # the metric's ground truth travels with the sample
        assert torch.equal(sample.gt_sem_seg.data, gt.gt_sem_seg.data)
    # val_step and predict give the same
    with torch.no_grad():
        val = model.val_step(copy.deepcopy(data))
    torch.testing.assert_close(val[1].seg_logits.data,
                               out[1].seg_logits.data)


def test_ensemble_differs_from_each_member_and_tensor_mode():
    model = build([dict(model=dlv2_net()), dict(model=dlv2_net())], seed=3)
    data = raw_batch()
    with torch.no_grad():
        out = model.test_step(copy.deepcopy(data))
        singles = [m.test_step(copy.deepcopy(data)) for m in model.members]
        # two random members that disagree: the ensemble is a mixture,
        # not one of them
        assert not torch.equal(singles[0][0].seg_logits.data,
                               singles[1][0].seg_logits.data)
        assert not torch.allclose(out[0].seg_logits.data,
                                  singles[0][0].seg_logits.data)

        # mode='tensor': (N, C, H, W) log-probabilities at the input size
        inputs = model.data_preprocessor(copy.deepcopy(data))['inputs']
        logits = model(inputs, mode='tensor')
        assert logits.shape == (2, NUM_CLASSES, 24, 32)
        expected = sum(0.5 * m.encode_decode(
            inputs, [dict(img_shape=(24, 32))] * 2).softmax(1)
                       for m in model.members)
        torch.testing.assert_close(logits.exp(), expected)
        # no data samples: predictions at the input size
        preds = model.predict(inputs)
        assert preds[0].pred_sem_seg.data.shape == (1, 24, 32)
        # SegTTAModel softmaxes seg_logits and averages over augmentations:
        # with log-probabilities it averages the ensemble's probabilities
        tta = MODELS.build(dict(type='SegTTAModel', module=model))
        augs = [copy.deepcopy(out[0]), copy.deepcopy(out[0])]
        other = singles[0][0].seg_logits.data.softmax(0)
        augs[1].seg_logits = PixelData(data=other.log())
        for aug in augs:
            aug.set_metainfo(dict(img_path='a.png'))  # read by merge_preds
        merged = tta.merge_preds([augs])[0]
        expected = (out[0].seg_logits.data.exp() + other).argmax(0)
        assert torch.equal(merged.pred_sem_seg.data[0], expected)
    assert model.out_channels == model.num_classes == NUM_CLASSES


def _uda_cfg():
    """A tiny UDASegmentor: G plus an ADVENT discriminator."""
    return dict(type='UDASegmentor',
                segmentor=dlv2_net(),
                aligners=dict(output_adv=dict(
                    type='OutputAdversarial',
                    num_classes=NUM_CLASSES,
                    levels=dict(main=1e-3),
                    input='entropy',
                    discriminator=dict(type='FCDiscriminator',
                                       base_channels=4))))


def _uda_model(seed):
    torch.manual_seed(seed)
    return MODELS.build(_uda_cfg())


def _assert_same_state(module, state_dict):
    own = module.state_dict()
    assert own.keys() == state_dict.keys()
    for key, value in state_dict.items():
        assert torch.equal(own[key], value), key


def test_uda_and_plain_checkpoints_load_into_members(tmp_path):
    uda = _uda_model(seed=1)
    state = uda.state_dict()
    assert any(k.startswith('aligners.') for k in state)
    uda_ckpt = str(tmp_path / 'advent.pth')
    torch.save(dict(state_dict=state, meta=dict(iter=1)), uda_ckpt)
    torch.manual_seed(2)
    plain = MODELS.build(fcn_net())
    plain_ckpt = str(tmp_path / 'minent.pth')
    torch.save(dict(state_dict=plain.state_dict()), plain_ckpt)

    model = build([
        dict(model=dlv2_net(), checkpoint=uda_ckpt),
        dict(model=fcn_net(), checkpoint=plain_ckpt),
        dict(model=_uda_cfg(), checkpoint=uda_ckpt),
    ],
                  weights=[0.5, 0.25, 0.25],
                  seed=7)
    _assert_same_state(model.members[0], uda.segmentor.state_dict())
    _assert_same_state(model.members[1], plain.state_dict())
    # a UDASegmentor member takes the UDA checkpoint as it is
    _assert_same_state(model.members[2], state)
    # the Runner's init before training must not wipe loaded weights
    model.init_weights()
    _assert_same_state(model.members[0], uda.segmentor.state_dict())
    _assert_same_state(model.members[1], plain.state_dict())
    assert model.checkpoints == [uda_ckpt, plain_ckpt, uda_ckpt]


@pytest.mark.parametrize('weights, error, pattern', [
    ([1.0], ValueError, '1 weights for 2 members'),
    ([0.5, 0.6], ValueError, 'sum to 1'),
    ([1.5, -0.5], ValueError, 'weight 1 is -0.5'),
    ([float('nan'), 1.0], ValueError, 'finite'),
    (['a', 'b'], TypeError, 'weight 0'),
    (0.5, TypeError, 'list of numbers'),
])
def test_bad_weights(weights, error, pattern):
    with pytest.raises(error, match=pattern):
        build([dict(model=dlv2_net()), dict(model=dlv2_net())], weights)


def test_member_errors(tmp_path):
    missing = str(tmp_path / 'nope.pth')
    with pytest.raises(FileNotFoundError, match=r'member 1.*nope\.pth'):
        build([dict(model=dlv2_net()), dict(model=dlv2_net(),
                                            checkpoint=missing)])
    other = str(tmp_path / 'other.pth')
    torch.save(dict(state_dict={'x': torch.zeros(1)}), other)
    with pytest.raises(RuntimeError, match=r'member 0.*other\.pth'):
        build([dict(model=dlv2_net(), checkpoint=other)])
    with pytest.raises(ValueError, match='empty'):
        build([])
    with pytest.raises(KeyError, match='weight'):
        build([dict(model=dlv2_net(), weight=1.0)])
    with pytest.raises(TypeError, match='member 0'):
        build([dlv2_net()])
    with pytest.raises(ValueError, match='member 1 predicts 5 classes'):
        build([dict(model=dlv2_net()), dict(model=dlv2_net(num_classes=5))])
    bgr = dlv2_net()
    bgr['data_preprocessor']['bgr_to_rgb'] = False
    with pytest.raises(ValueError, match='member 1 normalises'):
        build([dict(model=dlv2_net()), dict(model=bgr)])
    # the ensemble's preprocessor is checked against every member's
    with pytest.raises(ValueError, match='member 0 normalises'):
        build([dict(model=dlv2_net())],
              data_preprocessor=dict(PREPROCESSOR, std=[1., 1., 1.]))
    # but a test-only difference (padding) is fine
    build([dict(model=dlv2_net())],
          data_preprocessor=dict(PREPROCESSOR, size_divisor=8))


def test_training_is_refused():
    model = build([dict(model=dlv2_net())])
    with pytest.raises(NotImplementedError, match='test-time only'):
        model.train_step(raw_batch(), None)
    with pytest.raises(NotImplementedError, match='test-time only'):
        model.loss(torch.zeros(1, 3, 8, 8), [])


# -------------------------------------------------------- tools/test ---


def _load_tool(path):
    spec = importlib.util.spec_from_file_location('tool_test_ensemble', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_builds_the_advent_plus_minent_ensemble(tmp_path, capsys):
    test = _load_tool(TEST)
    ckpts = [str(tmp_path / f'{n}.pth') for n in ('advent', 'minent')]
    for path in ckpts:
        open(path, 'wb').close()
    cfg = test.build_cfg(
        test.parse_args([
            ADVENT, ckpts[0], '--ensemble', ckpts[1], '--ensemble-configs',
            MINENT, '--ensemble-weights', '0.5', '0.5'
        ]))
    assert cfg.load_from is None
    assert 'model_wrapper_cfg' not in cfg
    model = cfg.model
    assert model.type == 'SoftmaxEnsemble'
    assert model.weights == [0.5, 0.5]
    assert [m.checkpoint for m in model.members] == ckpts
    # each member is its config's network G with the preprocessor the
    # Runner gives it (the config's top-level one)
    for member, path in zip(model.members, (ADVENT, MINENT)):
        ref = Config.fromfile(path)
        assert ref.model.type == 'UDASegmentor'
        expected = copy.deepcopy(ref.model.segmentor)
        expected.data_preprocessor = ref.data_preprocessor
        assert member.model.to_dict() == expected.to_dict()
    assert model.data_preprocessor == Config.fromfile(ADVENT).data_preprocessor
    out = capsys.readouterr().out
    assert 'SoftmaxEnsemble of 2 models' in out
    assert f'member 1: weight 0.5  checkpoint {ckpts[1]}' in out
    assert MINENT in out

    # defaults: CONFIG's network for every member, equal weights
    cfg = test.build_cfg(
        test.parse_args([ADVENT, ckpts[0], '--ensemble', ckpts[1],
                         ckpts[1]]))
    assert cfg.model.weights == pytest.approx([1 / 3] * 3)
    assert len({json.dumps(m.model.to_dict(), sort_keys=True)
                for m in cfg.model.members}) == 1


def test_cli_errors(tmp_path):
    test = _load_tool(TEST)
    ckpt = str(tmp_path / 'a.pth')
    open(ckpt, 'wb').close()

    def build_cfg(*argv):
        return test.build_cfg(test.parse_args([ADVENT, *argv]))

    with pytest.raises(FileNotFoundError, match=r'member 2.*nope\.pth'):
        build_cfg(ckpt, '--ensemble', ckpt, str(tmp_path / 'nope.pth'))
    with pytest.raises(ValueError, match='1 configs for 2'):
        build_cfg(ckpt, '--ensemble', ckpt, ckpt, '--ensemble-configs',
                  MINENT)
    with pytest.raises(ValueError, match='sum to 1'):
        build_cfg(ckpt, '--ensemble', ckpt, '--ensemble-weights', '0.5',
                  '0.6')
    with pytest.raises(ValueError, match='need --ensemble'):
        build_cfg(ckpt, '--ensemble-weights', '1.0')
    with pytest.raises(ValueError, match="only for a config whose model"):
        build_cfg('none')


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


def _metrics(work_dir):
    files = glob.glob(osp.join(str(work_dir), '*', '*.json'))
    assert len(files) == 1, files
    with open(files[0]) as f:
        return json.load(f)


def test_cli_end_to_end_advent_plus_minent(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_FLAG, '1')
    init_default_scope('mmseg')
    # AdvEnt: a real 1-iteration UDA training run (a full MMEngine
    # checkpoint with segmentor.* and aligners.* weights)
    cfg = tiny_run_cfg(Config.fromfile(DEMO), tmp_path)
    advent_cfg = str(tmp_path / 'advent.py')
    cfg.dump(advent_cfg)
    Runner.from_cfg(copy.deepcopy(cfg)).train()
    advent_ckpt = str(tmp_path / 'work' / 'iter_1.pth')
    assert osp.isfile(advent_ckpt)
    # "MinEnt": AdvEnt + entropy minimisation, another config; its
    # checkpoint is a plain MMSeg one of an independently seeded G
    minent = copy.deepcopy(cfg)
    minent.model.aligners['ent_min'] = dict(type='EntropyMinimization',
                                            levels=dict(main=1e-3))
    minent_cfg = str(tmp_path / 'minent.py')
    minent.dump(minent_cfg)
    torch.manual_seed(123)
    g = MODELS.build(minent.model.segmentor)
    minent_ckpt = str(tmp_path / 'minent.pth')
    torch.save(dict(state_dict=g.state_dict()), minent_ckpt)

    out = _run([
        TEST, advent_cfg, advent_ckpt, '--ensemble', minent_ckpt,
        '--ensemble-configs', minent_cfg, '--ensemble-weights', '0.5', '0.5',
        '--work-dir',
        str(tmp_path / 'test_cli')
    ],
               cwd=str(tmp_path))
    assert 'SoftmaxEnsemble of 2 models' in out
    assert 'mIoU' in out
    cli = _metrics(tmp_path / 'test_cli')
    assert 0 <= cli['mIoU'] <= 100

    # the same ensemble written as a config, tested with CHECKPOINT 'none'
    test = _load_tool(TEST)
    ens = copy.deepcopy(cfg)
    ens.model = dict(type='SoftmaxEnsemble',
                     members=[
                         dict(model=cfg.model.segmentor,
                              checkpoint=advent_ckpt),
                         dict(model=minent.model.segmentor,
                              checkpoint=minent_ckpt)
                     ],
                     weights=[0.5, 0.5])
    ens.pop('model_wrapper_cfg', None)
    ens_cfg = str(tmp_path / 'ensemble.py')
    ens.dump(ens_cfg)
    test.main([ens_cfg, 'none', '--work-dir', str(tmp_path / 'test_cfg')])
    from_cfg = _metrics(tmp_path / 'test_cfg')
    for key in ('time', 'data_time'):
        cli.pop(key), from_cfg.pop(key)
    assert from_cfg == pytest.approx(cli, nan_ok=True)
