# Cityscapes as the *target* domain (SPEC 3, 6): training reads images only
# (no LoadAnnotations, no label folder), resized to 1024x512; validation
# resizes the image to 1024x512 BEFORE loading the label so that the label
# stays at full resolution (2048x1024) and predictions are upsampled to it.
dataset_type = 'CityscapesDataset'
data_root = 'data/cityscapes/'
target_scale = (1024, 512)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=target_scale, keep_ratio=False),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=target_scale, keep_ratio=False),
    # After Resize on purpose: the label is evaluated at full resolution.
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='PackSegInputs'),
]
target_train_dataset = dict(
    type=dataset_type,
    data_root=data_root,
    # No seg_map_path: target training never sees labels.
    data_prefix=dict(img_path='leftImg8bit/train'),
    pipeline=train_pipeline)
train_dataloader = dict(batch_size=1,
                        num_workers=2,
                        persistent_workers=True,
                        sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=target_train_dataset)
val_dataloader = dict(batch_size=1,
                      num_workers=2,
                      persistent_workers=True,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=dict(type=dataset_type,
                                   data_root=data_root,
                                   data_prefix=dict(img_path='leftImg8bit/val',
                                                    seg_map_path='gtFine/val'),
                                   pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
