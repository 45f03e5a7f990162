# Source-only FCN-8s VGG-16 (the "V" rows of the UDA tables), GTA5 ->
# Cityscapes, with the same optimiser and schedule as DeepLab-v2.
_base_ = [
    '../_base_/models/fcn8s_vgg16.py',
    '../_base_/datasets/gta5.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_uda_250k_poly.py',
]
model = dict(data_preprocessor=dict(size_divisor=1))
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
