# Synthetic domain-shift benchmark (SPEC 7), written by
#   python tools/generate_synthetic_shift.py data/synthetic_shift
# Source in the GTA5 layout (GTA5Dataset), target in the Cityscapes layout
# (MMSeg's CityscapesDataset): the same dataset classes and pipelines as the
# real GTA5 -> Cityscapes configs, at small sizes. Target labels are used for
# evaluation, and for training only by the target-trained oracle.
data_root = 'data/synthetic_shift/'
source_scale = (320, 180)
target_scale = (256, 128)
# Train ids of the ten classes the generator draws (road, sidewalk,
# building, fence, pole, traffic sign, vegetation, sky, person, car).
present_classes = [0, 1, 2, 4, 5, 7, 8, 10, 11, 13]

source_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='Resize', scale=source_scale, keep_ratio=False),
    dict(type='PackSegInputs'),
]
target_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=target_scale, keep_ratio=False),
    dict(type='PackSegInputs'),
]
target_labelled_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='Resize', scale=target_scale, keep_ratio=False),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=target_scale, keep_ratio=False),
    # After Resize on purpose: the label is evaluated at its own resolution.
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='PackSegInputs'),
]

source_train_dataset = dict(type='GTA5Dataset',
                            data_root=data_root + 'source',
                            data_prefix=dict(img_path='images',
                                             seg_map_path='labels'),
                            pipeline=source_pipeline)
target_train_dataset = dict(type='CityscapesDataset',
                            data_root=data_root + 'target',
                            data_prefix=dict(img_path='leftImg8bit/train'),
                            pipeline=target_train_pipeline)
target_labelled_train_dataset = dict(
    type='CityscapesDataset',
    data_root=data_root + 'target',
    data_prefix=dict(img_path='leftImg8bit/train',
                     seg_map_path='gtFine/train'),
    pipeline=target_labelled_pipeline)

train_dataloader = dict(batch_size=4,
                        num_workers=2,
                        persistent_workers=True,
                        sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=source_train_dataset)
val_dataloader = dict(batch_size=1,
                      num_workers=2,
                      persistent_workers=True,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=dict(type='CityscapesDataset',
                                   data_root=data_root + 'target',
                                   data_prefix=dict(
                                       img_path='leftImg8bit/val',
                                       seg_map_path='gtFine/val'),
                                   pipeline=test_pipeline))
test_dataloader = val_dataloader
# mIoU10: the classes that occur in the benchmark; mIoU: all 19 (nan-mean,
# so a class predicted where it never occurs counts as 0).
val_evaluator = dict(type='SubsetIoUMetric',
                     iou_metrics=['mIoU'],
                     subsets=dict(mIoU10=present_classes))
test_evaluator = val_evaluator
