# Source-only DeepLab-v2 head on MMSeg's ResNetV1c-101 (deep stem, PyTorch
# style, ImageNet weights from the MMSeg model zoo), GTA5 -> Cityscapes.
_base_ = [
    '../_base_/models/deeplabv2_r101-v1c.py',
    '../_base_/datasets/gta5.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_uda_250k_poly.py',
]
model = dict(data_preprocessor=dict(size_divisor=1))
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
