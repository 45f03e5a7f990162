# Source-only FCN-8s VGG-16 (the "V" rows of the UDA tables), GTA5 ->
# Cityscapes, with the same optimiser and schedule as DeepLab-v2.
_base_ = [
    '../_base_/models/fcn8s_vgg16.py',
    '../_base_/datasets/gta5.py',
    '../_base_/uda/source_only.py',
]
model = dict(data_preprocessor=dict(size_divisor=1))
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

recipe_card = dict(
    paper='LDR (Yang et al., ECCV 2020)',
    row='Table 1, source only, V',
    task='GTA5 -> Cityscapes',
    paper_miou=17.9,
    metric='mIoU',
    values=dict(
        _base_.source_only_card_values,
        source_size=_base_.gta5_size_card_value,
        init=dict(key='model.backbone.init_cfg.checkpoint',
                  value='open-mmlab://vgg16_caffe',
                  source='decision: the MMCV zoo caffe VGG-16 (ImageNet)'),
        network=dict(key='model.decode_head.type',
                     value='FCN8sHead',
                     source='paper (LDR, Sec. 4.2): FCN-VGG16'),
    ))
