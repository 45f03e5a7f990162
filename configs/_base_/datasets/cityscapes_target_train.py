# Cityscapes train as the unlabelled *target* training set (SPEC 3, 6):
# images only (no LoadAnnotations, no label folder), resized to 1024x512.
# The UDA data bases (uda_*_to_cityscapes.py) pair it with a source set;
# cityscapes_target.py trains on it alone.
target_data_root = 'data/cityscapes/'
target_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(1024, 512), keep_ratio=False),
    dict(type='PackSegInputs'),
]
target_train_dataset = dict(
    type='CityscapesDataset',
    data_root=target_data_root,
    # No seg_map_path: target training never sees labels.
    data_prefix=dict(img_path='leftImg8bit/train'),
    pipeline=target_train_pipeline)
