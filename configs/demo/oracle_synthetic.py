# Demo upper bound: the same network trained on the LABELLED target train
# split (the "oracle"), evaluated on the target val split.
_base_ = [
    '../_base_/models/deeplabv2_r18-w16.py',
    '../_base_/datasets/synthetic_shift.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_demo.py',
]
train_dataloader = dict(dataset={{_base_.target_labelled_train_dataset}})
randomness = dict(seed=0)
