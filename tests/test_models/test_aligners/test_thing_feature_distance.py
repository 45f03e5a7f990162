"""DAFormer's thing-class feature distance (issue 21)."""
import pytest
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

import mmseg_uda  # noqa: F401
from mmseg_uda.models.aligners.thing_feature_distance import dominant_class
from test_class_mix_self_training import batch, segmentor_cfg, sgd_wrapper


@pytest.fixture(autouse=True)
def mmseg_scope():
    init_default_scope('mmseg')


def test_dominant_class_by_hand():
    label = torch.tensor([[[1, 1, 2, 2],
                           [1, 0, 1, 255],
                           [3, 3, 0, 1],
                           [3, 3, 2, 255]]])
    cells = dominant_class(label, (2, 2), num_classes=4, min_ratio=0.75)
    # 3 of 4 ones; 2 of 4 twos (void counts, never wins); 4 threes;
    # one each of 0, 1, 2 and void
    assert cells.tolist() == [[[1, 255], [3, 255]]]
    assert dominant_class(label, (2, 2), 4, 0.5).tolist() == [[[1, 2],
                                                               [3, 255]]]


def _source_with_a_thing_block():
    """Random labels with class 1 on the left half (whole feature cells)."""
    source = batch(2, 16, 16, True, 1)
    for sample in source['data_samples']:
        sample.gt_sem_seg.data[:, :, :8] = 1
    return source


def _model(weight=1.0, things=(1, )):
    model = MODELS.build(
        dict(type='UDASegmentor',
             segmentor=segmentor_cfg(),
             aligners=dict(fd=dict(type='ThingFeatureDistance',
                                   weight=weight,
                                   thing_classes=things,
                                   num_classes=3))))
    model.init_weights()
    return model


def test_copy_of_the_initialised_backbone_and_loss_by_hand():
    torch.manual_seed(0)
    model = _model(weight=0.5)
    fd = model.aligners.fd
    # the copy equals G's backbone after G's initialisation, frozen
    for key, value in model.segmentor.backbone.state_dict().items():
        assert torch.equal(fd.imagenet_backbone.state_dict()[key], value)
    assert not any(p.requires_grad for p in fd.imagenet_backbone.parameters())
    src = model.data_preprocessor(_source_with_a_thing_block(), True)
    model.eval()  # no BN statistics update: equal backbones, equal feats
    out = model.forward_domain(src)
    assert fd.generator_loss(out, out)['loss_fd'].item() == 0.0
    # move G's backbone: the loss is the mean feature distance over the
    # thing (class 1) cells of the bottleneck
    with torch.no_grad():
        for p in model.segmentor.backbone.parameters():
            p.add_(0.01 * torch.randn_like(p))
    out = model.forward_domain(src)
    losses = fd.generator_loss(out, out)
    feats = out.feats[-1]
    with torch.no_grad():
        ref = fd.imagenet_backbone(src['inputs'])[-1]
    cells = dominant_class(out.gt_sem_seg(), feats.shape[2:], 3, 0.75)
    mask = cells == 1
    assert mask.any()
    want = 0.5 * (feats - ref).norm(dim=1)[mask].mean()
    assert losses['loss_fd'].item() == pytest.approx(want.item(), rel=1e-5)
    assert losses['thing_share'].item() == pytest.approx(
        mask.float().mean().item())
    # no thing class in the batch: 0
    fd.thing_classes = (7, )
    assert fd.generator_loss(out, out)['loss_fd'].item() == 0.0


def test_train_step_changes_g_only_and_the_copy_is_checkpointed():
    torch.manual_seed(0)
    model = _model()
    optim_wrapper = sgd_wrapper(model)
    copy_before = {
        k: v.clone()
        for k, v in model.aligners.fd.imagenet_backbone.state_dict().items()
    }
    model.train()
    log_vars = model.train_step(
        dict(source=_source_with_a_thing_block(),
             target=batch(2, 16, 16, False, 2)), optim_wrapper)
    assert log_vars['fd.loss_fd'] > 0
    # the frozen copy keeps its weights and BN statistics (eval mode)
    for key, value in model.aligners.fd.imagenet_backbone.state_dict(
    ).items():
        assert torch.equal(copy_before[key], value), key
    state = model.state_dict()
    assert any(k.startswith('aligners.fd.imagenet_backbone.') for k in state)
    # a new model loading the checkpoint gets the saved copy, not its own
    other = _model()
    other.load_state_dict(state)
    for key, value in copy_before.items():
        assert torch.equal(
            other.aligners.fd.imagenet_backbone.state_dict()[key], value)
