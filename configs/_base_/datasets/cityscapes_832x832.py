# Cityscapes (19 classes, supervised) for the ICNet configs: MMSeg's
# Cityscapes recipe with 832x832 crops. Training: random rescale of
# 2048x1024 by 0.5-2.0, crop, flip, photometric jitter; validation at
# 2048x1024. Labels: *_gtFine_labelTrainIds.png from cityscapesscripts.
dataset_type = 'CityscapesDataset'
data_root = 'data/cityscapes/'
crop_size = (832, 832)
test_scale = (2048, 1024)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='RandomResize',
         scale=(2048, 1024),
         ratio_range=(0.5, 2.0),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=test_scale, keep_ratio=True),
    # After Resize: the label is evaluated at its own resolution.
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='PackSegInputs'),
]
# Multi-scale + flip test (tools/test.py --tta; SegTTAModel averages the
# softmax of all 12 views) with PSPNet's ratios of the test size. ICNet's
# own test, and the AR-loss paper's Cityscapes numbers, are single-scale
# (the paper reports multi-scale only for PSPNet): this is an extra option.
img_ratios = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75]
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TestTimeAug',
         transforms=[
             [
                 dict(type='Resize',
                      scale=(round(test_scale[0] * r),
                             round(test_scale[1] * r)),
                      keep_ratio=True) for r in img_ratios
             ],
             [
                 dict(type='RandomFlip', prob=0., direction='horizontal'),
                 dict(type='RandomFlip', prob=1., direction='horizontal'),
             ],
             # As in test_pipeline: labels at their own resolution.
             [dict(type='LoadAnnotations')],
             [dict(type='CheckSegMap', num_classes=19)],
             [dict(type='PackSegInputs')],
         ]),
]
train_dataloader = dict(batch_size=2,
                        num_workers=2,
                        persistent_workers=True,
                        sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=dict(type=dataset_type,
                                     data_root=data_root,
                                     data_prefix=dict(
                                         img_path='leftImg8bit/train',
                                         seg_map_path='gtFine/train'),
                                     pipeline=train_pipeline))
val_dataloader = dict(batch_size=1,
                      num_workers=2,
                      persistent_workers=True,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=dict(type=dataset_type,
                                   data_root=data_root,
                                   data_prefix=dict(
                                       img_path='leftImg8bit/val',
                                       seg_map_path='gtFine/val'),
                                   pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
