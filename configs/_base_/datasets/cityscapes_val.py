# Cityscapes val as the evaluation set of every * -> Cityscapes config
# (SPEC 3, 6): the image is resized to 1024x512 BEFORE the label is loaded,
# so the label stays at full resolution (2048x1024) and predictions are
# upsampled to it. Shared by the source bases (gta5.py, synthia.py) and
# cityscapes_target.py.
val_data_root = 'data/cityscapes/'
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(1024, 512), keep_ratio=False),
    # After Resize on purpose: the label is evaluated at full resolution.
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='PackSegInputs'),
]
val_dataloader = dict(batch_size=1,
                      num_workers=2,
                      persistent_workers=True,
                      sampler=dict(type='DefaultSampler', shuffle=False),
                      dataset=dict(type='CityscapesDataset',
                                   data_root=val_data_root,
                                   data_prefix=dict(img_path='leftImg8bit/val',
                                                    seg_map_path='gtFine/val'),
                                   pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
