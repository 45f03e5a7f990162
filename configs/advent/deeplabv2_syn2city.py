# ADVENT (AdvEnt), DeepLab-v2 ResNet-101, SYNTHIA -> Cityscapes, as ADVENT's
# SYNTHIA code (valeoai/DADA) runs it (ADVENT issue #12: same
# hyper-parameters, MAX_ITERS 90k): a 16-way head (SYNTHIA's 16 classes,
# source labels in the 16-class space), single level (one entropy-map D
# on the main output, lambda 1e-3, no auxiliary classifier), poly over a
# 90k horizon with the stop at 90k. Cityscapes val is read in the same 16
# classes (mIoU = mIoU16; mIoU13 drops wall, fence, pole).
_base_ = ['./deeplabv2_gta2city.py', '../_base_/datasets/synthia_source.py']

num_classes = 16
source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True,
                            num_classes=num_classes)
source_train_dataset['pipeline'][2]['num_classes'] = num_classes
val_dataloader = dict(dataset=dict(
    metainfo=dict(classes=_base_.synthia16_classes)))
test_dataloader = val_dataloader
train_dataloader = dict(dataset=dict(source=source_train_dataset))
model = dict(segmentor=dict(decode_head=dict(num_classes=num_classes),
                            auxiliary_head=None),
             aligners=dict(output_adv=dict(num_classes=num_classes,
                                           levels=dict(_delete_=True,
                                                       main=1e-3))))
horizon = 90000
poly_90k = dict(type='PolyLR',
                power=0.9,
                eta_min=0.0,
                begin=0,
                end=horizon + 1,
                by_epoch=False)
param_scheduler = {
    'segmentor': [poly_90k],
    'output_adv.discriminators': [poly_90k],
}
train_cfg = dict(max_iters=horizon)
val_evaluator = dict(subsets=_base_.synthia16_subsets)
test_evaluator = val_evaluator

_dada = 'official code (valeoai/DADA: dada/scripts/configs_s2c/advent.yml'
recipe_card = dict(
    row='Table 2 (SYNTHIA), AdvEnt, ResNet-101',
    task='SYNTHIA -> Cityscapes',
    paper_miou=47.6,
    metric='mIoU13',
    values=dict(
        num_classes=dict(key='model.segmentor.decode_head.num_classes',
                         value=16,
                         source=_dada + ', dada/dataset/synthia.py: 16 '
                         'classes)'),
        source_size=dict(value=(1280, 760),
                         source=_dada + ': 1280x760)'),
        adv_levels=dict(value=dict(_delete_=True, main=1e-3),
                        source=_dada + ': MULTI_LEVEL False)'),
        aux_seg_weight=dict(key='model.segmentor.auxiliary_head',
                            value=None,
                            source=_dada + ': single level)'),
        poly_horizon=dict(value=90001,
                          source=_dada + ': MAX_ITERS 90000; ADVENT issue '
                          '#12)'),
        max_iters=dict(value=90000, source=_dada + ': EARLY_STOP 90000)')))
del _dada
