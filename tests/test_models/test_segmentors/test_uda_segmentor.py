"""UDASegmentor: which optimizer changes which parameters, delegation,
checkpoint export."""
import copy
import importlib.util
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import ConfigDict
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.structures import PixelData
from torch import nn

import mmseg_uda  # noqa: F401,I001  (mmcv-lite shim before mmseg)
from mmseg.models.segmentors import EncoderDecoder
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg_uda.models.aligners import BaseAligner
from mmseg_uda.models.segmentors import UDASegmentor

NUM_CLASSES = 4
G_LR = 0.1
D_LR = 0.01


class ToyAdversarialAligner(BaseAligner):
    """Output-space adversarial term with a one-conv discriminator.

    G loss: ``weight * BCE(D(softmax(up(target logits))), 0)``; D loss:
    ``(BCE(D(p_s), 0) + BCE(D(p_t), 1)) / 2``. ``update`` records the
    parameters of the whole model at entry (set by the test) so the test
    can tell G's update from D's.
    """
    optim_modules = ('discriminator', )

    def __init__(self,
                 num_classes=NUM_CLASSES,
                 weight=0.5,
                 active=True,
                 fail=False):
        super().__init__(active=active)
        self.discriminator = nn.Conv2d(num_classes, 1, 3, padding=1)
        self.weight = weight
        self.fail = fail
        self.observer = None

    def _d(self, outputs):
        return self.discriminator(
            F.softmax(outputs.upsampled_logits('main'), dim=1))

    def generator_loss(self, source, target):
        if self.fail:
            raise RuntimeError('toy failure')
        d_t = self._d(target)
        return dict(
            loss_adv=self.weight *
            F.binary_cross_entropy_with_logits(d_t, torch.zeros_like(d_t)))

    def update(self, source, target, optim_wrapper, name):
        if self.observer is not None:
            self.observer(self)
        wrapper = optim_wrapper[f'{name}.discriminator']
        with wrapper.optim_context(self.discriminator):
            d_s, d_t = self._d(source), self._d(target)
            loss = 0.5 * (
                F.binary_cross_entropy_with_logits(d_s,
                                                   torch.zeros_like(d_s)) +
                F.binary_cross_entropy_with_logits(d_t, torch.ones_like(d_t)))
        wrapper.update_params(loss)
        return dict(loss_d=loss)


def segmentor_cfg():
    norm_cfg = dict(type='BN', requires_grad=True)
    head = dict(type='DLV2Head',
                num_classes=NUM_CLASSES,
                dilations=(1, 2),
                align_corners=True)
    return dict(
        type='EncoderDecoder',
        data_preprocessor=dict(type='SegDataPreProcessor',
                               mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375],
                               bgr_to_rgb=True,
                               pad_val=0,
                               seg_pad_val=255,
                               size_divisor=1),
        backbone=dict(
            type='DLV2ResNet',
            depth=18,
            base_channels=8,
            stem_channels=8,
            out_indices=(0, 1, 2, 3),
            strides=(1, 2, 1, 1),
            dilations=(1, 1, 2, 4),
            norm_cfg=norm_cfg,
            # Zero-initialised residual BNs would block every
            # gradient inside the blocks on the first step.
            zero_init_residual=False,
            init_cfg=None),
        decode_head=dict(head,
                         in_channels=64,
                         in_index=3,
                         loss_decode=dict(type='CrossEntropyLoss',
                                          loss_weight=1.0)),
        auxiliary_head=dict(head,
                            in_channels=32,
                            in_index=2,
                            loss_decode=dict(type='CrossEntropyLoss',
                                             loss_weight=0.1)),
        train_cfg=dict(),
        test_cfg=ConfigDict(mode='whole'))


def build_model(aligners=None, seed=0):
    torch.manual_seed(seed)
    model = UDASegmentor(segmentor=segmentor_cfg(), aligners=aligners)
    model.init_weights()
    return model


def domain_batch(n, h, w, labelled, seed):
    gen = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for _ in range(n):
        inputs.append(
            torch.randint(0, 256, (3, h, w), generator=gen, dtype=torch.uint8))
        sample = SegDataSample(
            metainfo=dict(img_shape=(h, w), ori_shape=(h, w), pad_shape=(h,
                                                                         w)))
        if labelled:
            label = torch.randint(0, NUM_CLASSES, (1, h, w), generator=gen)
            label[0, 0, :3] = 255
            sample.gt_sem_seg = PixelData(data=label)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def uda_batch(seed=0):
    return dict(source=domain_batch(2, 32, 32, True, seed),
                target=domain_batch(2, 24, 48, False, seed + 1))


def optim_wrappers(model):
    wrappers = dict(segmentor=OptimWrapper(
        torch.optim.SGD(model.segmentor.parameters(), lr=G_LR)))
    for name, aligner in model.aligners.items():
        wrappers[f'{name}.discriminator'] = OptimWrapper(
            torch.optim.SGD(aligner.discriminator.parameters(), lr=D_LR))
    return OptimWrapperDict(**wrappers)


def snapshot(module):
    return {k: v.detach().clone() for k, v in module.named_parameters()}


def changed(before, after):
    return {k for k in before if not torch.equal(before[k], after[k])}


def g_names(model):
    return {f'segmentor.{k}' for k, _ in model.segmentor.named_parameters()}


def d_names(model, name):
    return {
        f'aligners.{name}.discriminator.{k}'
        for k, _ in model.aligners[name].discriminator.named_parameters()
    }


def test_registered_and_built_from_config():
    model = MODELS.build(
        dict(type='UDASegmentor',
             segmentor=segmentor_cfg(),
             aligners=dict(adv=ToyAdversarialAligner())))
    assert isinstance(model, UDASegmentor)
    assert isinstance(model.segmentor, EncoderDecoder)
    # One preprocessor object for both domains and for val/test.
    assert model.data_preprocessor is model.segmentor.data_preprocessor
    assert list(model.aligners) == ['adv']
    assert model.with_auxiliary_head and model.with_decode_head


def test_aligner_order_kept_and_bad_aligners_rejected():
    names = ['zeta', 'alpha', 'mid']
    model = build_model({n: ToyAdversarialAligner() for n in names})
    assert list(model.aligners) == names
    with pytest.raises(ValueError, match='identifier'):
        build_model({'a.b': ToyAdversarialAligner()})
    with pytest.raises(TypeError, match='BaseAligner'):
        build_model({'conv': nn.Conv2d(1, 1, 1)})


def test_data_preprocessor_given_once():
    cfg = segmentor_cfg()
    pre = cfg.pop('data_preprocessor')
    model = UDASegmentor(segmentor=cfg, data_preprocessor=pre)
    assert model.data_preprocessor is model.segmentor.data_preprocessor
    assert type(model.data_preprocessor).__name__ == 'SegDataPreProcessor'
    # The Runner passes a config's top-level data_preprocessor to the
    # model: it takes precedence over the one inside the segmentor.
    other = dict(pre, size_divisor=4)
    model = UDASegmentor(segmentor=segmentor_cfg(), data_preprocessor=other)
    assert model.data_preprocessor is model.segmentor.data_preprocessor
    assert model.data_preprocessor.size_divisor == 4


def test_supervised_losses_match_encoder_decoder_loss():
    model = build_model()
    data = model.data_preprocessor(uda_batch()['source'], True)
    ours = model.supervised_losses(model.forward_domain(data))
    ref = model.segmentor.loss(data['inputs'], data['data_samples'])
    assert set(ours) == set(ref) == {
        'decode.loss_ce', 'decode.acc_seg', 'aux.loss_ce', 'aux.acc_seg'
    }
    for key in ref:
        torch.testing.assert_close(ours[key], ref[key])


def test_forward_domain_outputs():
    model = build_model()
    data = model.data_preprocessor(uda_batch()['target'], True)
    out = model.forward_domain(data)
    assert out.levels == ['main', 'aux']

    # Output stride 8 of the Caffe-style backbone: 7x7/2 stem conv,
    # ceil-mode 3x3/2 max-pool, one stride-2 stage.
    def stride8(side):
        side = (side - 1) // 2 + 1
        side = -(-(side - 1) // 2) + 1
        return (side - 1) // 2 + 1

    size = (stride8(24), stride8(48))
    assert size == (4, 7)
    assert out.logits['main'].shape == (2, NUM_CLASSES) + size
    assert out.logits['aux'].shape == (2, NUM_CLASSES) + size
    assert out.upsampled_logits('main').shape == (2, NUM_CLASSES, 24, 48)
    assert out.align_corners is True
    assert out.gt_sem_seg() is None


def test_train_step_parameters_each_optimizer_changes():
    model = build_model(
        dict(adv=ToyAdversarialAligner(),
             off=ToyAdversarialAligner(active=False)))
    model.train()
    wrappers = optim_wrappers(model)
    mid = {}
    d_grads = {}

    def observe(aligner):
        # Called at the start of adv's update: after G's step, before D's.
        mid.update(snapshot(model))
        d_grads['adv'] = [p.grad for p in aligner.discriminator.parameters()]
        d_grads['flags'] = [
            p.requires_grad for p in aligner.discriminator.parameters()
        ]

    model.aligners['adv'].observer = observe
    model.aligners['off'].observer = lambda _: pytest.fail(
        'update of an inactive aligner was called')
    before = snapshot(model)
    log_vars = model.train_step(uda_batch(), wrappers)
    after = snapshot(model)

    g, d_adv, d_off = g_names(model), d_names(model,
                                              'adv'), d_names(model, 'off')
    assert set(before) == g | d_adv | d_off
    # G's update: every G parameter that gets a gradient moves, no D does.
    assert changed(before, mid) == g
    # No gradient reached D from G's backward.
    assert all(grad is None or not grad.any() for grad in d_grads['adv'])
    # D is trainable again when its own update runs.
    assert all(d_grads['flags'])
    # D's update: only adv's discriminator moves.
    assert changed(mid, after) == d_adv
    assert all(p.requires_grad for p in model.parameters())

    assert set(log_vars) == {
        'loss', 'decode.loss_ce', 'decode.acc_seg', 'aux.loss_ce',
        'aux.acc_seg', 'adv.loss_adv', 'adv.loss_d'
    }
    torch.testing.assert_close(
        log_vars['loss'], log_vars['decode.loss_ce'] +
        log_vars['aux.loss_ce'] + log_vars['adv.loss_adv'])
    assert not log_vars['adv.loss_d'].requires_grad


def test_generator_step_matches_manual_sgd():
    """G's step is plain SGD on sup + adversarial loss (brute force)."""
    model = build_model(dict(adv=ToyAdversarialAligner(weight=0.5)))
    model.train()
    ref = copy.deepcopy(model)
    batch = uda_batch(seed=3)

    # Independent computation of G's gradient with EncoderDecoder.loss.
    src = ref.data_preprocessor(copy.deepcopy(batch['source']), True)
    tgt = ref.data_preprocessor(copy.deepcopy(batch['target']), True)
    seg = ref.segmentor
    sup = seg.loss(src['inputs'], src['data_samples'])
    logits_t = F.interpolate(seg._forward(tgt['inputs']),
                             size=(24, 48),
                             mode='bilinear',
                             align_corners=True)
    d_t = ref.aligners['adv'].discriminator(F.softmax(logits_t, dim=1))
    total = sup['decode.loss_ce'] + sup['aux.loss_ce'] + \
        0.5 * F.binary_cross_entropy_with_logits(d_t, torch.zeros_like(d_t))
    total.backward()
    expected = {
        k: p.detach() - G_LR * p.grad
        for k, p in seg.named_parameters() if p.grad is not None
    }

    mid = {}
    model.aligners['adv'].observer = lambda _: mid.update(
        snapshot(model.segmentor))
    log_vars = model.train_step(batch, optim_wrappers(model))
    torch.testing.assert_close(log_vars['loss'], total.detach())
    assert set(expected) == set(mid)
    for k in expected:
        torch.testing.assert_close(mid[k], expected[k], rtol=1e-4, atol=1e-6)


def test_requires_grad_restored_on_exception():
    model = build_model(dict(adv=ToyAdversarialAligner(fail=True)))
    d = model.aligners['adv'].discriminator
    d.bias.requires_grad_(False)  # a deliberately frozen parameter
    with pytest.raises(RuntimeError, match='toy failure'):
        model.train_step(uda_batch(), optim_wrappers(model))
    assert d.weight.requires_grad and not d.bias.requires_grad


def test_single_optim_wrapper_only_without_networks():
    model = build_model()  # source only: no aligners
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=G_LR))
    log_vars = model.train_step(uda_batch(), wrapper)
    assert set(log_vars) == {
        'loss', 'decode.loss_ce', 'decode.acc_seg', 'aux.loss_ce',
        'aux.acc_seg'
    }
    model = build_model(dict(adv=ToyAdversarialAligner()))
    with pytest.raises(TypeError, match='UDAOptimWrapperConstructor'):
        model.train_step(uda_batch(), wrapper)
    with pytest.raises(KeyError, match="'segmentor'"):
        model.train_step(
            uda_batch(),
            OptimWrapperDict(other=OptimWrapper(
                torch.optim.SGD(model.parameters(), lr=1.))))


def test_train_step_rejects_non_uda_batch():
    model = build_model()
    with pytest.raises(KeyError, match='UDADataset'):
        model.train_step(
            uda_batch()['source'],
            OptimWrapper(torch.optim.SGD(model.parameters(), lr=G_LR)))


def test_loss_not_implemented():
    model = build_model()
    with pytest.raises(NotImplementedError, match='train_step'):
        model.loss(torch.zeros(1, 3, 8, 8), [])


def test_val_step_predict_and_tensor_mode_delegate():
    model = build_model(dict(adv=ToyAdversarialAligner()))
    model.eval()
    batch = domain_batch(1, 24, 48, True, seed=5)
    with torch.no_grad():
        ours = model.val_step(copy.deepcopy(batch))
        ref = model.segmentor.val_step(copy.deepcopy(batch))
    assert len(ours) == 1
    assert ours[0].pred_sem_seg.data.shape == (1, 24, 48)
    assert ours[0].seg_logits.data.shape == (NUM_CLASSES, 24, 48)
    torch.testing.assert_close(ours[0].seg_logits.data, ref[0].seg_logits.data)
    with torch.no_grad():
        test_out = model.test_step(copy.deepcopy(batch))
        data = model.data_preprocessor(copy.deepcopy(batch), False)
        preds = model(**data, mode='predict')
        logits = model(data['inputs'], mode='tensor')
        feats = model.extract_feat(data['inputs'])
        enc = model.encode_decode(data['inputs'],
                                  [s.metainfo for s in data['data_samples']])
    torch.testing.assert_close(test_out[0].seg_logits.data,
                               ref[0].seg_logits.data)
    torch.testing.assert_close(preds[0].seg_logits.data,
                               ref[0].seg_logits.data)
    assert logits.shape == (1, NUM_CLASSES, 4, 7)
    assert len(feats) == 4
    assert enc.shape == (1, NUM_CLASSES, 24, 48)
    # Attributes SegTTAModel / mmseg.apis read from the model.
    assert model.decode_head is model.segmentor.decode_head
    assert model.num_classes == model.out_channels == NUM_CLASSES
    assert model.align_corners is True


def _load_export_tool():
    path = osp.join(osp.dirname(__file__), '..', '..', '..', 'tools',
                    'export_segmentor.py')
    spec = importlib.util.spec_from_file_location('export_segmentor', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_export_loads_strictly_into_plain_encoder_decoder():
    model = build_model(dict(adv=ToyAdversarialAligner()), seed=1)
    state = model.state_dict()
    assert any(k.startswith('aligners.adv.discriminator.') for k in state)
    exported = _load_export_tool().export_state_dict(
        dict(state_dict=state, meta=dict(iter=3)), 'segmentor.')
    torch.manual_seed(7)  # different random init
    plain = MODELS.build(segmentor_cfg())
    plain.load_state_dict(exported['state_dict'], strict=True)
    for key, value in plain.state_dict().items():
        torch.testing.assert_close(value, state[f'segmentor.{key}'])


def test_init_weights_reaches_every_aligner_network(tmp_path):
    # Aligners sit in a ModuleDict and OutputAdversarial keeps one D per
    # level in another: both must pass init_weights on (a plain
    # nn.ModuleDict would silently skip a D's Pretrained init_cfg).
    disc = MODELS.build(
        dict(type='FCDiscriminator', in_channels=NUM_CLASSES,
             base_channels=2))
    ckpt = tmp_path / 'd.pth'
    torch.save({'state_dict': {
        f'd.{k}': torch.full_like(v, 0.5)
        for k, v in disc.state_dict().items()}}, str(ckpt))
    model = MODELS.build(
        dict(type='UDASegmentor',
             segmentor=segmentor_cfg(),
             aligners=dict(adv=dict(
                 type='OutputAdversarial', num_classes=NUM_CLASSES,
                 levels=dict(main=1e-3),
                 discriminator=dict(type='FCDiscriminator', base_channels=2,
                                    init_cfg=dict(type='Pretrained',
                                                  checkpoint=str(ckpt),
                                                  prefix='d.'))))))
    model.init_weights()
    for value in model.aligners['adv'].discriminators['main'].state_dict(
    ).values():
        assert torch.all(value == 0.5)
