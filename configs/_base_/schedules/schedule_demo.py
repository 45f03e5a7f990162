# Short schedule for the synthetic benchmark (CPU, minutes). Same optimiser
# family as the UDA recipe (SGD + poly, heads at 10x) with a larger base lr,
# because the demo network starts from random weights, and a poly curve that
# reaches 0 at the stop point.
max_iters = 1000
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD',
                                    lr=0.01,
                                    momentum=0.9,
                                    weight_decay=5e-4),
                     clip_grad=None,
                     paramwise_cfg=dict(custom_keys={
                         'decode_head': dict(lr_mult=10.),
                         'auxiliary_head': dict(lr_mult=10.),
                     }))
param_scheduler = [
    dict(type='PolyLR',
         power=0.9,
         eta_min=0.0,
         begin=0,
         end=max_iters,
         by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop',
                 max_iters=max_iters,
                 val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(timer=dict(type='IterTimerHook'),
                     logger=dict(type='LoggerHook',
                                 interval=100,
                                 log_metric_by_epoch=False),
                     param_scheduler=dict(type='ParamSchedulerHook'),
                     checkpoint=dict(type='AtomicCheckpointHook',
                                     by_epoch=False,
                                     interval=max_iters,
                                     max_keep_ckpts=1),
                     sampler_seed=dict(type='DistSamplerSeedHook'),
                     # NaN / inf loss: stop before a checkpoint is written
                     non_finite=dict(type='NonFiniteLossHook'),
                     # model and data must agree on the classes
                     num_classes_check=dict(type='NumClassesCheckHook'),
                     # RNG states in checkpoints: exact resume of random
                     # draws inside the model (e.g. the mixture module).
                     rng_state=dict(type='RNGStateHook'),
                     visualization=dict(type='SegVisualizationHook'),
                     # image grids of what the method does (UDA models)
                     debug_panels=dict(type='UDADebugPanelHook',
                                       interval=250))
