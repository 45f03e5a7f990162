# Iteration-based training without validation, for the networks whose
# output has no labels to be scored against (the translation GAN F, LDR's
# reconstruction network M). A leaf sets train_cfg.max_iters, its
# optimizers and schedules, and sets the dataset base's val/test keys to
# None (they belong to that base, which MMEngine does not let this one
# redefine).
train_cfg = dict(type='IterBasedTrainLoop')
default_hooks = dict(timer=dict(type='IterTimerHook'),
                     logger=dict(type='LoggerHook',
                                 interval=50,
                                 log_metric_by_epoch=False),
                     param_scheduler=dict(type='ParamSchedulerHook'),
                     checkpoint=dict(type='AtomicCheckpointHook',
                                     by_epoch=False,
                                     interval=10000,
                                     max_keep_ckpts=2),
                     sampler_seed=dict(type='DistSamplerSeedHook'),
                     # NaN / inf loss: stop before a checkpoint is written
                     non_finite=dict(type='NonFiniteLossHook'),
                     rng_state=dict(type='RNGStateHook'))
