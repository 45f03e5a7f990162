"""StuffInstanceMatching: regions, FIFO banks, classifier check, loss."""
from types import SimpleNamespace

import pytest
import torch
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import mmseg_uda  # noqa: F401
from mmseg_uda.models.aligners import DomainOutputs

IGNORE = 255


def _outputs(feat, logits=None, labels=None, pred=None, num_classes=2):
    """DomainOutputs with ``feats=[feat]``; logits from ``pred`` (N, h, w).

    ``labels`` (N, H, W) become gt_sem_seg (at the feature size here, so
    the nearest resize is the identity).
    """
    n = feat.shape[0]
    if logits is None:
        logits = torch.nn.functional.one_hot(pred,
                                             num_classes).permute(0, 3, 1,
                                                                  2).float()
    samples = []
    for i in range(n):
        sample = SegDataSample()
        if labels is not None:
            sample.gt_sem_seg = PixelData(data=labels[i][None].long())
        samples.append(sample)
    return DomainOutputs(inputs=torch.zeros(n, 3, *feat.shape[2:]),
                         data_samples=samples,
                         feats=[feat],
                         logits=dict(main=logits))


def _sim(**kwargs):
    cfg = dict(type='StuffInstanceMatching',
               feat_channels=2,
               stuff_classes=(0, ),
               thing_classes=(1, ),
               stuff_bank_size=2,
               thing_bank_size=2,
               max_instances=2,
               classifier_check=False)
    cfg.update(kwargs)
    return MODELS.build(cfg)


# The hand example (C = 2, one image 2x3; class 0 stuff, class 1 thing):
#   map  [[0, 0, 1],     thing pixels (0,2),(1,2) form instance A (size 2),
#         [1, 0, 1]]     (1,0) is instance B (size 1)
MAP = torch.tensor([[[0, 0, 1], [1, 0, 1]]])
FEAT = torch.tensor([[[1., 3., 2.], [0., 5., 4.]],
                     [[2., 4., 2.], [6., 0., 0.]]])[None]  # (1, 2, 2, 3)
STUFF_MEAN = [3., 2.]  # mean of [1,2], [3,4], [5,0]
A_MEAN, B_MEAN = [3., 1.], [0., 6.]  # [2,2],[4,0] and [0,6]


def test_regions_are_masked_means_largest_instance_first():
    sim = _sim()
    means, counts = sim.regions(MAP, FEAT)
    assert means.shape == (1, 1 + 1 * 2, 2)
    assert counts.tolist() == [[3, 2, 1]]
    assert means[0].tolist() == [STUFF_MEAN, A_MEAN, B_MEAN]
    assert sim.slot_classes().tolist() == [0, 1, 1]
    # 4-connectivity and z = 1: the diagonal does not matter here, the
    # smaller instance is dropped
    sim = _sim(max_instances=1, connectivity=4)
    means, counts = sim.regions(MAP, FEAT)
    assert counts.tolist() == [[3, 2]]


def test_matching_loss_by_hand():
    sim = _sim(lambda_stuff=0.1, lambda_instance=0.2)
    # stuff bank: |[3,2]-[3,3]| -> 0.5 (nearest), |[3,2]-[0,0]| -> 2.5
    sim.stuff_bank[0] = torch.tensor([[3., 3.], [0., 0.]])
    # thing bank: A=[3,1] -> 0.5 to [3,0], 3 to [1,5];
    #             B=[0,6] -> 4.5 to [3,0], 1 to [1,5]
    sim.thing_bank[0] = torch.tensor([[3., 0.], [1., 5.]])
    sim.stuff_count.fill_(2)
    sim.thing_count.fill_(2)
    feat_t = FEAT.clone().requires_grad_()
    # the source has no labelled pixel: nothing is stored
    source = _outputs(torch.zeros(1, 2, 2, 3),
                      pred=MAP,
                      labels=torch.full((1, 2, 3), IGNORE))
    target = _outputs(feat_t, pred=MAP)
    banks = (sim.stuff_bank.clone(), sim.thing_bank.clone())
    losses = sim.generator_loss(source, target)

    assert losses['stored'].item() == 0
    # L_stf = 0.5; L_ins = (0.5 + 1) / 2 instances
    assert losses['loss_stuff'].item() == pytest.approx(0.1 * 0.5)
    assert losses['loss_instance'].item() == pytest.approx(0.2 * 0.75)
    (losses['loss_stuff'] + losses['loss_instance']).backward()
    grad = feat_t.grad[0].permute(1, 2, 0)  # (h, w, C)
    # stuff pixel: 0.1 * sign([3,2]-[3,3]) / C / 3 pixels
    assert grad[0, 0].tolist() == pytest.approx([0., -0.1 / 6])
    # A pixel: 0.2 * (1/2 instances) * sign([3,1]-[3,0]) / C / 2 pixels
    assert grad[0, 2].tolist() == pytest.approx([0., 0.2 / 8])
    # B pixel: 0.2 * (1/2) * sign([0,6]-[1,5]) / C / 1 pixel
    assert grad[1, 0].tolist() == pytest.approx([-0.05, 0.05])
    # the banks are buffers: no gradient, unchanged by the target side
    assert not sim.stuff_bank.requires_grad
    assert torch.equal(banks[0], sim.stuff_bank)
    assert torch.equal(banks[1], sim.thing_bank)


def test_loss_is_averaged_over_images_and_needs_full_banks():
    sim = _sim()
    sim.stuff_bank[0] = torch.tensor([[3., 3.], [0., 0.]])
    sim.thing_bank[0] = torch.tensor([[3., 0.], [1., 5.]])
    sim.stuff_count.fill_(2)
    sim.thing_count.fill_(2)
    one = sim.matching_losses(*sim.regions(MAP, FEAT), 1)
    two = sim.matching_losses(
        *sim.regions(MAP.repeat(2, 1, 1), FEAT.repeat(2, 1, 1, 1)), 1)
    assert [v.item() for v in one] == pytest.approx([0.5, 0.75])
    assert [v.item() for v in two] == pytest.approx([0.5, 0.75])
    # a bank that is not full yet is not used
    sim.thing_count.fill_(1)
    stuff, inst = sim.matching_losses(*sim.regions(MAP, FEAT), 1)
    assert stuff.item() == pytest.approx(0.5) and inst.item() == 0


def test_source_side_writes_correct_regions_without_gradient():
    sim = _sim()
    feat_s = FEAT.clone().requires_grad_()
    # the label disagrees with the prediction at (0, 1) -> ignored
    labels = MAP.clone()
    pred = MAP.clone()
    pred[0, 0, 1] = 1
    source = _outputs(feat_s, pred=pred, labels=labels)
    target = _outputs(torch.zeros(1, 2, 2, 3), pred=MAP)
    losses = sim.generator_loss(source, target)
    assert losses['stored'].item() == 3
    # stuff mean over (0,0) and (1,1) only: [1,2], [5,0]
    assert sim.stuff_bank[0, 0].tolist() == [3., 1.]
    assert sim.thing_bank[0].tolist() == [A_MEAN, B_MEAN]
    assert sim.stuff_ptr.tolist() == [1] and sim.stuff_count.tolist() == [1]
    assert sim.thing_ptr.tolist() == [0] and sim.thing_count.tolist() == [2]
    assert not sim.thing_bank.requires_grad and feat_s.grad is None
    # banks are saved in (and restored from) the state dict
    state = sim.state_dict()
    assert {
        'stuff_bank', 'stuff_ptr', 'stuff_count', 'thing_bank', 'thing_ptr',
        'thing_count'
    } <= set(state)
    other = _sim()
    other.load_state_dict(state)
    assert torch.equal(other.thing_bank, sim.thing_bank)
    assert torch.equal(other.stuff_ptr, sim.stuff_ptr)


def test_fifo_overwrites_oldest_in_order():
    sim = _sim(stuff_bank_size=3,
               thing_bank_size=4,
               max_instances=3,
               feat_channels=1)
    n = 0

    def step(num_images, valid):
        """Write ``num_images`` images whose samples carry ids n, n+1..."""
        nonlocal n
        slots = sim.num_slots
        ids = torch.arange(n, n + num_images * slots).float()
        n += num_images * slots
        means = ids.view(num_images, slots, 1)
        counts = valid.long().expand(num_images, slots)
        sim.write_banks(means, counts, 1)
        return means

    # 1 image: stuff id 0; instances ids 1, 2, 3 (largest first)
    step(1, torch.ones(4, dtype=torch.bool))
    assert sim.stuff_bank[0, :, 0].tolist() == [0., 0., 0.]
    assert sim.thing_bank[0, :, 0].tolist() == [1., 2., 3., 0.]
    assert sim.thing_ptr.tolist() == [3] and sim.thing_count.tolist() == [3]
    # 2 images in one step: stuff 4, 8; instances 5,6,7 then 9,10,11 ->
    # 6 writes into 4 slots from ptr 3: the last 4 (7, 9, 10, 11) survive
    # at slots 1, 2, 3, 0 (wrapping), 5 and 6 are overwritten in the step
    step(2, torch.ones(4, dtype=torch.bool))
    assert sim.stuff_bank[0, :, 0].tolist() == [0., 4., 8.]
    assert sim.stuff_ptr.tolist() == [0] and sim.stuff_count.tolist() == [3]
    assert sim.thing_bank[0, :, 0].tolist() == [11., 7., 9., 10.]
    assert sim.thing_ptr.tolist() == [1] and sim.thing_count.tolist() == [4]
    # absent regions (count 0) are skipped without moving the pointer
    step(1, torch.tensor([True, False, True, False]))  # ids 12..15
    assert sim.stuff_bank[0, :, 0].tolist() == [12., 4., 8.]
    assert sim.thing_bank[0, :, 0].tolist() == [11., 14., 9., 10.]
    assert sim.stuff_ptr.tolist() == [1] and sim.thing_ptr.tolist() == [2]
    sim.reset_banks()
    assert not sim.thing_bank.any() and not sim.thing_count.any()
    assert not sim.stuff_ptr.any() and not sim.thing_ptr.any()


def _head(in_channels=2, num_classes=2):
    head = MODELS.build(
        dict(type='DLV2Head',
             in_channels=in_channels,
             in_index=0,
             num_classes=num_classes,
             dilations=(1, 2)))
    torch.nn.init.normal_(head.aspp_convs[0].weight)
    torch.nn.init.normal_(head.aspp_convs[1].weight)
    torch.nn.init.normal_(head.aspp_convs[0].bias)
    return head


def test_classifier_is_the_heads_centre_taps():
    torch.manual_seed(0)
    head = _head(in_channels=4, num_classes=5)
    sim = _sim(feat_channels=4, feature_index=0, classifier_check=True)
    sim.bind_segmentor(SimpleNamespace(decode_head=head))
    v = torch.randn(7, 4)
    linear = sum(conv.weight[:, :, 1, 1] @ v.t() + conv.bias[:, None]
                 for conv in head.aspp_convs)
    assert torch.equal(sim.classify(v, 1), linear.argmax(0))
    assert head.training  # train mode restored after the eval-mode call
    # the head must read the matched level
    with pytest.raises(ValueError, match='feature level'):
        _bound(head, feat_channels=4, feature_index=1).classify(v, 2)


def _bound(head, **kwargs):
    sim = _sim(classifier_check=True, **kwargs)
    sim.bind_segmentor(SimpleNamespace(decode_head=head))
    return sim


def test_classifier_check_filters_source_and_target_stuff():
    head = _head()
    with torch.no_grad():  # class = 1 iff channel 0 > channel 1
        for conv in head.aspp_convs:
            conv.weight.zero_()
            conv.bias.zero_()
        head.aspp_convs[0].weight[1, 0, 1, 1] = 1.
        head.aspp_convs[0].weight[0, 1, 1, 1] = 1.
    sim = _bound(head, feature_index=0)
    # stuff mean [3, 2] -> classified 1 (wrong, class 0): not stored;
    # A [3, 1] -> 1 (right) stored; B [0, 6] -> 0 (wrong) not stored
    source = _outputs(FEAT, pred=MAP, labels=MAP)
    target = _outputs(FEAT, pred=MAP)
    losses = sim.generator_loss(source, target)
    assert losses['stored'].item() == 1
    assert sim.stuff_count.tolist() == [0]
    assert sim.thing_count.tolist() == [1]
    assert sim.thing_bank[0, 0].tolist() == A_MEAN
    # target: the wrongly classified stuff region is not matched, instances
    # are matched without the check (official code)
    sim.stuff_count.fill_(2)
    sim.thing_count.fill_(2)
    sim.thing_bank[0] = torch.tensor([[3., 0.], [1., 5.]])
    stuff, inst = sim.matching_losses(*sim.regions(MAP, FEAT), 1)
    assert stuff.item() == 0 and inst.item() == pytest.approx(0.75)
    with pytest.raises(RuntimeError, match='decode head'):
        _sim(classifier_check=True).generator_loss(source, target)


def test_pseudo_labels_replace_the_prediction_where_valid():
    sim = _sim(use_pseudo_labels=True)
    sim.stuff_bank[0] = torch.tensor([[3., 3.], [0., 0.]])
    sim.stuff_count.fill_(2)
    source = _outputs(FEAT, pred=MAP, labels=torch.full((1, 2, 3), IGNORE))
    # prediction says all stuff; the pseudo label restores the map's
    # things, and where it is ignored the prediction (stuff) stays
    pseudo = MAP.clone()
    pseudo[0, 0, 0] = IGNORE
    target = _outputs(FEAT, pred=torch.zeros_like(MAP), labels=pseudo)
    losses = sim.generator_loss(source, target)
    assert losses['loss_stuff'].item() == pytest.approx(0.01 * 0.5)
    # without them: one stuff region of all 6 pixels, mean [2.5, 7/3],
    # nearest [3, 3] at (0.5 + 2/3) / 2
    sim.use_pseudo_labels = False
    losses = sim.generator_loss(source, target)
    assert losses['loss_stuff'].item() == pytest.approx(0.01 * 7 / 12)
    sim.use_pseudo_labels = True
    with pytest.raises(ValueError, match='pseudo labels'):
        sim.generator_loss(source, _outputs(FEAT, pred=MAP))


def test_set_stage_params_and_validation():
    sim = _sim()
    sim.set_stage_params(lambda_stuff=1e-3, lambda_instance=1e-3)
    assert sim.lambda_stuff == sim.lambda_instance == 1e-3
    with pytest.raises(ValueError, match='both stuff and thing'):
        _sim(thing_classes=(0, 1))
    with pytest.raises(ValueError, match='channel'):
        _sim(feat_channels=3).generator_loss(
            _outputs(FEAT, pred=MAP, labels=MAP), _outputs(FEAT, pred=MAP))


# ----------------------------------------------------------------------
# Inside UDASegmentor.train_step, with a tiny DeepLab-v2.
def _uda_model(classifier_check):
    head = dict(type='DLV2Head',
                num_classes=3,
                dilations=(1, 2),
                align_corners=True)
    segmentor = dict(type='EncoderDecoder',
                     data_preprocessor=dict(type='SegDataPreProcessor',
                                            mean=[123.675, 116.28, 103.53],
                                            std=[58.395, 57.12, 57.375],
                                            size_divisor=1,
                                            seg_pad_val=255),
                     backbone=dict(type='DLV2ResNet',
                                   depth=18,
                                   base_channels=8,
                                   out_indices=(0, 1, 2, 3),
                                   strides=(1, 2, 1, 1),
                                   dilations=(1, 1, 2, 4),
                                   norm_cfg=dict(type='BN',
                                                 requires_grad=True),
                                   init_cfg=None),
                     decode_head=dict(head, in_channels=64, in_index=3),
                     auxiliary_head=dict(head, in_channels=32, in_index=2),
                     train_cfg=dict(),
                     test_cfg=dict(mode='whole'))
    return MODELS.build(
        dict(type='UDASegmentor',
             segmentor=segmentor,
             aligners=dict(output_adv=dict(type='OutputAdversarial',
                                           num_classes=3,
                                           levels=dict(main=1e-3),
                                           discriminator=dict(
                                               type='FCDiscriminator',
                                               base_channels=4,
                                               num_convs=2)),
                           sim=dict(type='StuffInstanceMatching',
                                    feat_channels=64,
                                    stuff_classes=(0, ),
                                    thing_classes=(1, 2),
                                    stuff_bank_size=2,
                                    thing_bank_size=3,
                                    max_instances=2,
                                    lambda_stuff=1.,
                                    lambda_instance=1.,
                                    classifier_check=classifier_check))))


def _data(model, seed):
    """Source labels = G's own prediction (upsampled), so regions exist."""
    gen = torch.Generator().manual_seed(seed)
    batch = {}
    for domain in ('source', 'target'):
        image = torch.randint(0,
                              256, (3, 48, 64),
                              generator=gen,
                              dtype=torch.uint8)
        sample = SegDataSample(metainfo=dict(
            img_shape=(48, 64), ori_shape=(48, 64), pad_shape=(48, 64)))
        batch[domain] = dict(inputs=[image], data_samples=[sample])
    with torch.no_grad():
        out = model.forward_domain(
            model.data_preprocessor(batch['source'], True))
    pred = out.logits['main'].argmax(1, keepdim=True).float()
    label = torch.nn.functional.interpolate(pred, size=(48, 64))[0].long()
    batch['source']['data_samples'][0].gt_sem_seg = PixelData(data=label)
    return batch


def _optim(model):
    from mmseg.registry import OPTIM_WRAPPER_CONSTRUCTORS
    return OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(type='UDAOptimWrapperConstructor',
             optim_wrapper_cfg={
                 'segmentor':
                 dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1)),
                 'output_adv.discriminators':
                 dict(type='OptimWrapper',
                      optimizer=dict(type='Adam', lr=1e-3)),
             }))(model)


@pytest.fixture
def mmseg_scope():
    from mmengine.registry import init_default_scope
    init_default_scope('mmseg')


@pytest.mark.parametrize('classifier_check', [False, True])
def test_train_step_trains_g_and_d_and_fills_the_banks(classifier_check,
                                                       mmseg_scope):
    torch.manual_seed(0)
    model = _uda_model(classifier_check)
    model.init_weights()
    sim = model.aligners['sim']
    assert sim._head is model.segmentor.decode_head  # bound by UDASegmentor
    assert list(sim.parameters()) == [] and not sim.networks()
    # full banks of random entries, so the matching loss is on
    sim.stuff_bank.normal_()
    sim.thing_bank.normal_()
    sim.stuff_count.fill_(2)
    sim.thing_count.fill_(3)
    banks = torch.cat([sim.stuff_bank.flatten(), sim.thing_bank.flatten()])
    ptrs = torch.cat([sim.stuff_ptr, sim.thing_ptr])
    optim_wrapper = _optim(model)
    data = _data(model, 1)
    before = {k: v.detach().clone() for k, v in model.named_parameters()}

    log_vars = model.train_step(data, optim_wrapper)

    assert log_vars['sim.loss_stuff'] + log_vars['sim.loss_instance'] > 0
    changed = {
        k
        for k, v in model.named_parameters() if not torch.equal(before[k], v)
    }
    # G's SGD steps G, D's Adam steps D; SIM owns no parameter
    assert any(k.startswith('segmentor.backbone.') for k in changed)
    assert any(k.startswith('segmentor.decode_head.') for k in changed)
    assert any(k.startswith('aligners.output_adv.') for k in changed)
    assert all(
        k.startswith(('segmentor.', 'aligners.output_adv.')) for k in before)
    # the step wrote this batch's accepted source regions into the banks
    stored = int(log_vars['sim.stored'])
    new_ptrs = torch.cat([sim.stuff_ptr, sim.thing_ptr])
    moved = ((new_ptrs - ptrs) % torch.tensor([2, 3, 3])).sum().item()
    assert moved == stored
    if not classifier_check:
        assert stored > 0
    after = torch.cat([sim.stuff_bank.flatten(), sim.thing_bank.flatten()])
    assert torch.equal(banks, after) == (stored == 0)
    assert log_vars['sim.full_banks'] == 3


def test_matching_gradient_reaches_the_backbone_not_the_head(mmseg_scope):
    torch.manual_seed(0)
    model = _uda_model(True)
    model.init_weights()
    sim = model.aligners['sim']
    sim.stuff_bank.normal_()
    sim.thing_bank.normal_()
    sim.stuff_count.fill_(2)
    sim.thing_count.fill_(3)
    data = _data(model, 2)
    source, target = model.forward_domains(
        model.data_preprocessor(data['source'], True),
        model.data_preprocessor(data['target'], True))
    losses = sim.generator_loss(source, target)
    loss = losses['loss_stuff'] + losses['loss_instance']
    assert loss.requires_grad
    loss.backward()
    seg = model.segmentor
    assert any(p.grad is not None and p.grad.abs().sum() > 0
               for p in seg.backbone.layer4.parameters())
    # the classifier check and the prediction carry no gradient
    assert all(p.grad is None for p in seg.decode_head.parameters())
    assert all(p.grad is None for p in seg.auxiliary_head.parameters())


def test_non_finite_source_features_are_not_stored():
    sim = _sim()
    means, counts = sim.regions(MAP, FEAT)
    means[0, 1, 0] = float('nan')  # instance A
    assert sim.write_banks(means, counts, 1).item() == 2
    assert sim.thing_bank[0, 0].tolist() == B_MEAN
    assert sim.thing_count.tolist() == [1]
