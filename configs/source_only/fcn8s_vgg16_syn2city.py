# Source-only FCN-8s VGG-16, SYNTHIA -> Cityscapes (19-way head; mIoU16 and
# mIoU13 from the same confusion matrix).
_base_ = [
    '../_base_/models/fcn8s_vgg16.py',
    '../_base_/datasets/synthia.py',
    '../_base_/uda/source_only.py',
]
model = dict(data_preprocessor=dict(size_divisor=1))
val_evaluator = dict(type='SubsetIoUMetric',
                     iou_metrics=['mIoU'],
                     subsets=dict(
                         mIoU16=[0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13,
                                 15, 17, 18],
                         mIoU13=[0, 1, 2, 6, 7, 8, 10, 11, 12, 13, 15, 17,
                                 18]))
test_evaluator = val_evaluator

recipe_card = dict(
    paper='(lower bound; no paper reports this row)',
    row='source only, V',
    task='SYNTHIA -> Cityscapes',
    paper_miou=None,
    metric='mIoU16',
    values=dict(
        _base_.source_only_card_values,
        source_size=_base_.synthia_size_card_value,
        init=dict(key='model.backbone.init_cfg.checkpoint',
                  value='open-mmlab://vgg16_caffe',
                  source='decision: the MMCV zoo caffe VGG-16 (ImageNet)'),
        network=dict(key='model.decode_head.type',
                     value='FCN8sHead',
                     source='paper (LDR, Sec. 4.2): FCN-VGG16'),
    ))
