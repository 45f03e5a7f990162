"""Pretraining model of LDR's M (one-hot source labels -> images)."""
import pytest
import torch
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from ldr_toys import TOY_D, TOY_M
from mmseg_uda.models.reconstruction import (discriminator_loss,
                                             generator_terms, one_hot_labels)

C = 5


@pytest.fixture(autouse=True)
def mmseg_scope():
    init_default_scope('mmseg')


def _model(**kwargs):
    cfg = dict(type='LabelToImage', num_classes=C, reconstructor=TOY_M,
               discriminator=TOY_D)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def _batch(seed=0, h=32, w=32):
    gen = torch.Generator().manual_seed(seed)
    img = torch.randint(0, 256, (3, h, w), generator=gen, dtype=torch.uint8)
    label = torch.randint(0, C, (1, h, w), generator=gen)
    label[0, :2] = 255
    sample = SegDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w),
                                         pad_shape=(h, w)))
    sample.gt_sem_seg = PixelData(data=label)
    return dict(inputs=[img], data_samples=[sample])


def test_one_hot_labels():
    labels = torch.tensor([[[0, 2], [255, 1]]])
    onehot = one_hot_labels(labels, 3)
    assert onehot.shape == (1, 3, 2, 2)
    assert onehot[0, :, 0, 0].tolist() == [1, 0, 0]
    assert onehot[0, :, 0, 1].tolist() == [0, 0, 1]
    assert onehot[0, :, 1, 0].tolist() == [0, 0, 0]  # ignored: no class
    assert onehot[0, :, 1, 1].tolist() == [0, 1, 0]
    with pytest.raises(ValueError, match=r'\[3\]'):
        one_hot_labels(torch.tensor([[[3]]]), 3)


def test_preprocessing_gives_tanh_range_rgb():
    model = _model()
    data = model.data_preprocessor(_batch(), True)
    rgb = _batch()['inputs'][0].flip(0).float()  # loaded BGR -> RGB
    torch.testing.assert_close(data['inputs'][0], rgb / 127.5 - 1)
    cond, image = model.pairs(data['inputs'], data['data_samples'])
    assert cond.shape == (1, C, 32, 32) and image.shape == (1, 3, 32, 32)
    half = _model(rec_scale=0.5)
    cond, image = half.pairs(data['inputs'], data['data_samples'])
    assert cond.shape == (1, C, 16, 16) and image.shape == (1, 3, 16, 16)
    assert set(cond.sum(1).unique().tolist()) <= {0.0, 1.0}


def test_half_size_is_rounded_to_a_multiple_of_four_and_trains():
    # 36x40 at half size is 18x20; M halves twice, so it trains at 20x20
    # (the demo's 320x180 source would be 160x90 otherwise and fail)
    model = _model(rec_scale=0.5)
    data = model.data_preprocessor(_batch(h=36, w=40), True)
    cond, image = model.pairs(data['inputs'], data['data_samples'])
    assert cond.shape == (1, C, 20, 20) and image.shape == (1, 3, 20, 20)
    log = model.train_step(_batch(h=36, w=40), _wrappers(model, 0.1, 0.1))
    assert all(torch.isfinite(v) for v in log.values())
    with pytest.raises(ValueError, match='size_divisor'):
        _model(size_divisor=0)


def _wrappers(model, m_lr, d_lr):
    return OptimWrapperDict(
        reconstructor=OptimWrapper(
            torch.optim.SGD(model.reconstructor.parameters(), lr=m_lr)),
        discriminator=OptimWrapper(
            torch.optim.SGD(model.discriminator.parameters(), lr=d_lr)))


def _snapshot(module):
    return {k: v.detach().clone() for k, v in module.named_parameters()}


def _changed(before, module):
    after = _snapshot(module)
    return {k.split('.')[0] for k in before
            if not torch.equal(before[k], after[k])}


def test_train_step_losses_and_which_optimizer_changes_what():
    torch.manual_seed(0)
    model = _model(adv_weight=1.0, rec_weight=10.0)
    data = model.data_preprocessor(_batch(), True)
    cond, image = model.pairs(data['inputs'], data['data_samples'])
    with torch.no_grad():
        fake = model.reconstructor(cond)
        terms = generator_terms(cond, image, fake, model.discriminator,
                                model.perceptual_loss,
                                model.feature_matching_loss)
        loss_d = discriminator_loss(cond, image, fake, model.discriminator)

    before = _snapshot(model)
    log = model.train_step(_batch(), _wrappers(model, 0.1, 0.0))
    assert log['loss_adv'].item() == pytest.approx(terms['adv'].item(),
                                                   rel=1e-5)
    assert log['loss_vgg'].item() == pytest.approx(10 * terms['vgg'].item(),
                                                   rel=1e-5)
    assert log['loss_fm'].item() == pytest.approx(10 * terms['fm'].item(),
                                                  rel=1e-5)
    assert log['loss_d'].item() == pytest.approx(loss_d.item(), rel=1e-5)
    # M's optimizer moves M only; the D step (lr 0 here) nothing
    assert _changed(before, model) == {'reconstructor'}
    assert all(p.grad is None or not p.grad.any()
               for p in model.discriminator.parameters())

    before = _snapshot(model)
    model.train_step(_batch(1), _wrappers(model, 0.0, 0.1))
    # D's optimizer moves the D_k only; the VGG never moves
    assert _changed(before, model) == {'discriminator'}
    assert all(p.requires_grad for p in model.discriminator.parameters())
    assert not any(p.requires_grad
                   for p in model.perceptual_loss.parameters())


def test_forward_tensor_mode():
    model = _model()
    data = model.data_preprocessor(_batch(), False)
    out = model(data['inputs'], data['data_samples'], mode='tensor')
    assert out.shape == (1, 3, 32, 32) and out.abs().max() <= 1
    with pytest.raises(NotImplementedError):
        model(data['inputs'], data['data_samples'], mode='loss')


def test_checkpoint_loads_into_the_aligner(tmp_path):
    torch.manual_seed(0)
    model = _model()
    path = str(tmp_path / 'm.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    m_cfg = dict(TOY_M, init_cfg=dict(type='Pretrained', checkpoint=path,
                                      prefix='reconstructor.'))
    aligner = MODELS.build(dict(type='LabelReconstruction', num_classes=C,
                                reconstructor=m_cfg, discriminator=TOY_D))
    aligner.init_weights()
    for k, v in model.reconstructor.state_dict().items():
        assert torch.equal(aligner.reconstructor.state_dict()[k], v)
