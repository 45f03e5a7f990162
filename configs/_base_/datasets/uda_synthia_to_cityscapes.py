# SYNTHIA -> Cityscapes adaptation data (SPEC 3): SYNTHIA-RAND-CITYSCAPES
# (1280x760, 19-class labels) paired with Cityscapes train images (1024x512,
# no label); validation on Cityscapes val as in synthia.py.
_base_ = ['./synthia.py', './cityscapes_target_train.py']
train_dataloader = dict(
    batch_size=1,
    sampler=dict(type='UDAInfiniteSampler', shuffle=True),
    dataset=dict(_delete_=True,
                 type='UDADataset',
                 source={{_base_.source_train_dataset}},
                 target=_base_.target_train_dataset,
                 seed=0))
