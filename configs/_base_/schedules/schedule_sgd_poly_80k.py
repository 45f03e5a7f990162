# MMSeg's supervised schedule (its schedule_80k.py) for the AR-loss
# baselines: SGD lr 0.01, momentum 0.9, weight decay 5e-4, poly 0.9 down to
# 1e-4 over 80k iterations, validation and a checkpoint every 8k. A leaf
# with another length restates param_scheduler (a list is replaced, not
# merged), train_cfg and the checkpoint interval.
max_iters = 80000
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD',
                                    lr=0.01,
                                    momentum=0.9,
                                    weight_decay=5e-4),
                     clip_grad=None)
param_scheduler = [
    dict(type='PolyLR',
         eta_min=1e-4,
         power=0.9,
         begin=0,
         end=max_iters,
         by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop',
                 max_iters=max_iters,
                 val_interval=8000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(timer=dict(type='IterTimerHook'),
                     logger=dict(type='LoggerHook',
                                 interval=50,
                                 log_metric_by_epoch=False),
                     param_scheduler=dict(type='ParamSchedulerHook'),
                     checkpoint=dict(type='AtomicCheckpointHook',
                                     by_epoch=False,
                                     interval=8000),
                     sampler_seed=dict(type='DistSamplerSeedHook'),
                     # NaN / inf loss: stop before a checkpoint is written
                     non_finite=dict(type='NonFiniteLossHook'),
                     # model and data must agree on the classes
                     num_classes_check=dict(type='NumClassesCheckHook'),
                     visualization=dict(type='SegVisualizationHook'))
