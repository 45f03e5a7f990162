# SYNTHIA-RAND-CITYSCAPES (source domain, SPEC 3, 6): labels converted by
# tools/dataset_converters/synthia.py, resized (not cropped) to 1280x760, no
# flip. num_classes: 19 (AdaptSegNet lineage: 19-way head, 16/13-class mIoU
# from the same confusion matrix) or 16 (ADVENT protocol). Models trained on
# SYNTHIA are evaluated on Cityscapes val (1024x512 input, full-resolution
# 19-class labels). For UDA, wrap this dataset and the Cityscapes target one
# in a UDADataset (see uda_synthia_to_cityscapes.py).
_base_ = ['./cityscapes_val.py']
dataset_type = 'SynthiaDataset'
num_classes = 19
data_root = 'data/synthia/'
source_scale = (1280, 760)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=num_classes),
    dict(type='Resize', scale=source_scale, keep_ratio=False),
    dict(type='PackSegInputs'),
]
source_train_dataset = dict(type=dataset_type,
                            data_root=data_root,
                            num_classes=num_classes,
                            data_prefix=dict(img_path='RGB',
                                             seg_map_path='GT/LABELS'),
                            pipeline=train_pipeline)
train_dataloader = dict(batch_size=1,
                        num_workers=2,
                        persistent_workers=True,
                        sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=source_train_dataset)
