# GTA5 -> Cityscapes adaptation data (SPEC 3): each training sample is a
# GTA5 image + label (1280x720) paired by UDADataset with a Cityscapes train
# image (1024x512, no label); validation on Cityscapes val as in gta5.py.
_base_ = ['./gta5.py', './cityscapes_target_train.py']
train_dataloader = dict(
    batch_size=1,
    sampler=dict(type='UDAInfiniteSampler', shuffle=True),
    dataset=dict(_delete_=True,
                 type='UDADataset',
                 source={{_base_.source_train_dataset}},
                 target=_base_.target_train_dataset,
                 seed=0))
