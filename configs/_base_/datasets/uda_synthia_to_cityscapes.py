# SYNTHIA -> Cityscapes adaptation data (SPEC 3): SYNTHIA-RAND-CITYSCAPES
# (1280x760, 19-class labels) paired with Cityscapes train images (1024x512,
# no label); validation on Cityscapes val as in synthia.py.
_base_ = ['./synthia.py']
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
