# Demo, LDR step 2: pretrain the reconstruction net M on the synthetic
# benchmark's source labels (one-hot -> image), the objective of
# ../ldr/pretrain_m_gta5.py at demo size: M and the D_k narrowed (16 base
# channels, 3 residual blocks), half-size images (160x92), 500 iterations.
# The VGG-19 perceptual term is off: its ImageNet weights must be
# downloaded and it would dominate the CPU time; with the weights at hand,
# set perceptual_loss as in ../ldr/pretrain_m_gta5.py.
# Output: work_dirs/ldr_pretrain_m_synthetic/iter_500.pth, loaded by
# ./ldr_synthetic.py.
_base_ = [
    '../_base_/datasets/synthetic_shift.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_demo.py',
    '../_base_/models/ldr_m.py',
]
max_iters = 500
model = dict(type='LabelToImage',
             num_classes=19,
             adv_weight=1.0,
             rec_weight=10.0,
             gan_mode='bce',
             rec_scale=0.5,
             reconstructor=_base_.m_reconstructor_demo,
             discriminator=_base_.m_discriminator_demo,
             perceptual_loss=None,
             feature_matching_loss=dict(type='FeatureMatchingLoss'))
model_wrapper_cfg = dict(type='MMSeparateDistributedDataParallel')
train_dataloader = dict(dataset={{_base_.source_train_dataset}})
gan_optim_wrapper = dict(type='OptimWrapper',
                         optimizer=dict(type='Adam',
                                        lr=2e-4,
                                        betas=(0.5, 0.999)))
optim_wrapper = dict(_delete_=True,
                     constructor='UDAOptimWrapperConstructor',
                     reconstructor=gan_optim_wrapper,
                     discriminator=gan_optim_wrapper)
linear_to_zero = [
    dict(type='LinearLR',
         start_factor=1.0,
         end_factor=0.0,
         begin=0,
         end=max_iters,
         by_epoch=False)
]
param_scheduler = dict(_delete_=True,
                       reconstructor=linear_to_zero,
                       discriminator=linear_to_zero)
train_cfg = dict(_delete_=True,
                 type='IterBasedTrainLoop',
                 max_iters=max_iters)
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
default_hooks = dict(checkpoint=dict(interval=max_iters))
