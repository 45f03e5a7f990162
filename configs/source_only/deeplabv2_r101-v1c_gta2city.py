# Source-only DeepLab-v2 head on MMSeg's ResNetV1c-101 (deep stem, PyTorch
# style, ImageNet weights from the MMSeg model zoo), GTA5 -> Cityscapes.
_base_ = [
    '../_base_/models/deeplabv2_r101-v1c.py',
    '../_base_/datasets/gta5.py',
    '../_base_/uda/source_only.py',
]
model = dict(data_preprocessor=dict(size_divisor=1))
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

recipe_card = dict(
    paper='(MMSeg backbone variant; no paper row)',
    row='source only, ResNetV1c-101',
    task='GTA5 -> Cityscapes',
    paper_miou=None,
    metric='mIoU',
    values=dict(
        _base_.source_only_card_values,
        source_size=_base_.gta5_size_card_value,
        init=dict(key='model.backbone.init_cfg.checkpoint',
                  value='open-mmlab://resnet101_v1c',
                  source='decision: the MMSeg zoo ResNetV1c-101 (a variant with MMSeg weights, not a paper row)'),
        levels=dict(key='model.auxiliary_head.loss_decode.loss_weight',
                    value=0.1,
                    source='decision: the multi-level network of the '
                    'AdaptSegNet rows (LAMBDA_SEG 0.1)'),
    ))
