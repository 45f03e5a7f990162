# GTA5 -> Cityscapes adaptation data (SPEC 3): each training sample is a
# GTA5 image + label (1280x720) paired by UDADataset with a Cityscapes train
# image (1024x512, no label); validation on Cityscapes val as in gta5.py.
_base_ = ['./gta5.py']
target_data_root = 'data/cityscapes/'
target_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(1024, 512), keep_ratio=False),
    dict(type='PackSegInputs'),
]
target_train_dataset = dict(type='CityscapesDataset',
                            data_root=target_data_root,
                            data_prefix=dict(img_path='leftImg8bit/train'),
                            pipeline=target_train_pipeline)
train_dataloader = dict(
    batch_size=1,
    sampler=dict(type='UDAInfiniteSampler', shuffle=True),
    dataset=dict(_delete_=True,
                 type='UDADataset',
                 source={{_base_.source_train_dataset}},
                 target=target_train_dataset,
                 seed=0))
