# NYUv2-40 (SPEC 4.2, 6): written by tools/dataset_converters/nyuv2.py
# (795 train / 654 test, 640x480, labels 0..39 + 255). Training: random
# rescale of (640, 480) by 0.5-2.0, 480x480 crop, flip, photometric jitter;
# test at 640x480.
dataset_type = 'NYUv2Dataset'
data_root = 'data/nyuv2/'
crop_size = (480, 480)
test_scale = (640, 480)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=40),
    dict(type='RandomResize',
         scale=(640, 480),
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
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=40),
    dict(type='PackSegInputs'),
]
# Multi-scale + flip test (tools/test.py --tta; SegTTAModel averages the
# softmax of all 12 views). The ratios are PSPNet's multi-scale test, which
# the AR-loss paper follows (4.2: "we follow [3] settings"). They scale the
# test size, not the file's size, so ratio 1.0 is the single-scale test.
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
             # As in test_pipeline: the label keeps its own resolution,
             # so single- and multi-scale scores compare like for like.
             [dict(type='LoadAnnotations')],
             [dict(type='CheckSegMap', num_classes=40)],
             [dict(type='PackSegInputs')],
         ]),
]
train_dataloader = dict(batch_size=8,
                        num_workers=4,
                        persistent_workers=True,
                        sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=dict(type=dataset_type,
                                     data_root=data_root,
                                     data_prefix=dict(
                                         img_path='images/train',
                                         seg_map_path='annotations/train'),
                                     pipeline=train_pipeline))
val_dataloader = dict(batch_size=1,
                      num_workers=4,
                      persistent_workers=True,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=dict(type=dataset_type,
                                   data_root=data_root,
                                   data_prefix=dict(
                                       img_path='images/test',
                                       seg_map_path='annotations/test'),
                                   pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
