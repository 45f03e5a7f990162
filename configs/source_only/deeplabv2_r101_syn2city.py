# Source-only DeepLab-v2 ResNet-101 (multi-level), trained on
# SYNTHIA-RAND-CITYSCAPES (1280x760) with a 19-way head, evaluated on
# Cityscapes val. mIoU16 and mIoU13 come from the same confusion matrix as the
# 19-class mIoU (SPEC 3); terrain, truck and train never occur in SYNTHIA.
_base_ = [
    '../_base_/models/deeplabv2_r101-caffe.py',
    '../_base_/datasets/synthia.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_uda_250k_poly.py',
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
