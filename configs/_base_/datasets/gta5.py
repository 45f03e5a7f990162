# GTA5 (source domain, SPEC 3, 6): labels converted to train ids by
# tools/dataset_converters/gta5.py, resized (not cropped) to 1280x720, no
# flip. Models trained on GTA5 are evaluated on Cityscapes val (1024x512
# input, full-resolution labels). For UDA, wrap this dataset and the
# Cityscapes target one in a UDADataset (see uda_gta5_to_cityscapes.py).
_base_ = ['./cityscapes_val.py']
dataset_type = 'GTA5Dataset'
data_root = 'data/gta/'
source_scale = (1280, 720)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='Resize', scale=source_scale, keep_ratio=False),
    dict(type='PackSegInputs'),
]
source_train_dataset = dict(type=dataset_type,
                            data_root=data_root,
                            data_prefix=dict(img_path='images',
                                             seg_map_path='labels'),
                            pipeline=train_pipeline)
train_dataloader = dict(batch_size=1,
                        num_workers=2,
                        persistent_workers=True,
                        sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=source_train_dataset)
