# Source-only DeepLab-v2 ResNet-101 (multi-level), trained on GTA5 (1280x720)
# and evaluated on Cityscapes val (1024x512 input, 2048x1024 labels).
# The lower bound every UDA method in this repository is compared with.
_base_ = [
    '../_base_/models/deeplabv2_r101-caffe.py',
    '../_base_/datasets/gta5.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_uda_250k_poly.py',
]
# No crop and no padding: every image of a batch has the training size.
model = dict(data_preprocessor=dict(size_divisor=1))
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
