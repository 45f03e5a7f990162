# Joint global-local alignment, DeepLab-v2 ResNet-101, SYNTHIA -> Cityscapes.
# The GTA5 schedule with the paper's SYNTHIA mixture floor theta = 0.8:
#   global 120k (AdaptSegNet; stage-1 length not given for SYNTHIA, kept),
#   local_mix 30k (theta 0.8), local 50k (theta 1.0); lambda_adv 1e-3.
# 19-way head; mIoU16 / mIoU13 from the same confusion matrix (the paper
# reports the 13-class mIoU for SYN2City).
_base_ = ['./deeplabv2_gta2city.py', '../_base_/datasets/synthia_source.py']

# SYNTHIA source as in ../_base_/datasets/synthia.py.
source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True)
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
# A list replaces its base: the whole schedule is repeated with theta 0.8.
custom_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(name='global',
                  iters=120000,
                  aligners=dict(output_adv=dict(active=True),
                                local_adv=dict(active=False))),
             dict(name='local_mix',
                  iters=30000,
                  aligners=dict(output_adv=dict(active=False),
                                local_adv=dict(active=True, theta=0.8))),
             dict(name='local',
                  iters=50000,
                  aligners=dict(local_adv=dict(theta=1.0))),
         ])
]
