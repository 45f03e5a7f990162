# Source-only FCN-8s VGG-16, SYNTHIA -> Cityscapes (19-way head; mIoU16 and
# mIoU13 from the same confusion matrix).
_base_ = [
    '../_base_/models/fcn8s_vgg16.py',
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
