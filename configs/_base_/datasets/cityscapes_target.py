# Cityscapes as the *target* domain alone (SPEC 3, 6): training reads images
# only, resized to 1024x512 (cityscapes_target_train.py); validation on
# Cityscapes val with full-resolution labels (cityscapes_val.py).
_base_ = ['./cityscapes_val.py', './cityscapes_target_train.py']
train_dataloader = dict(batch_size=1,
                        num_workers=2,
                        persistent_workers=True,
                        sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=_base_.target_train_dataset)
