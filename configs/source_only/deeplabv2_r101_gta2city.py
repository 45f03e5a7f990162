# Source-only DeepLab-v2 ResNet-101 (multi-level), trained on GTA5 (1280x720)
# and evaluated on Cityscapes val (1024x512 input, 2048x1024 labels).
# The lower bound every UDA method in this repository is compared with.
_base_ = [
    '../_base_/models/deeplabv2_r101-caffe.py',
    '../_base_/datasets/gta5.py',
    '../_base_/uda/source_only.py',
]
# No crop and no padding: every image of a batch has the training size.
model = dict(data_preprocessor=dict(size_divisor=1))
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

recipe_card = dict(
    paper='LDR (Yang et al., ECCV 2020) / AdaptSegNet',
    row='Table 1, source only, R',
    task='GTA5 -> Cityscapes',
    paper_miou=36.6,
    metric='mIoU',
    values=dict(
        _base_.source_only_card_values,
        source_size=_base_.gta5_size_card_value,
        init=dict(key='model.backbone.init_cfg.checkpoint',
                  value='pretrain/deeplabv2_init-imagenet-coco.pth',
                  source='decision: the AdaptSegNet init (ImageNet + COCO), as the adapted rows it is compared with; fallback: the zoo caffe R101'),
        levels=dict(key='model.auxiliary_head.loss_decode.loss_weight',
                    value=0.1,
                    source='decision: the multi-level network of the '
                    'AdaptSegNet rows (LAMBDA_SEG 0.1)'),
    ))
