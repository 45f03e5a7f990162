# Source-only DeepLab-v2 ResNet-101 (multi-level), trained on
# SYNTHIA-RAND-CITYSCAPES (1280x760) with a 19-way head, evaluated on
# Cityscapes val. mIoU16 and mIoU13 come from the same confusion matrix as the
# 19-class mIoU (SPEC 3); terrain, truck and train never occur in SYNTHIA.
_base_ = [
    '../_base_/models/deeplabv2_r101-caffe.py',
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
    paper='LDR (Yang et al., ECCV 2020) / global-local',
    row='Table 2, source only, R',
    task='SYNTHIA -> Cityscapes',
    paper_miou=38.6,
    metric='mIoU13',
    values=dict(
        _base_.source_only_card_values,
        source_size=_base_.synthia_size_card_value,
        init=dict(key='model.backbone.init_cfg.checkpoint',
                  value='pretrain/deeplabv2_init-imagenet-coco.pth',
                  source='decision: the AdaptSegNet init (ImageNet + COCO), as the adapted rows it is compared with; fallback: the zoo caffe R101'),
        levels=dict(key='model.auxiliary_head.loss_decode.loss_weight',
                    value=0.1,
                    source='decision: the multi-level network of the '
                    'AdaptSegNet rows (LAMBDA_SEG 0.1)'),
    ))
