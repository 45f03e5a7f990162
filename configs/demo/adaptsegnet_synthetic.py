# Demo: AdaptSegNet (output-space adversarial alignment, main + aux levels)
# on the synthetic benchmark: the source-only demo plus a target batch and an
# FCDiscriminator per prediction level. The discriminators are narrowed
# like the demo network (16 instead of 64 base channels): at full width
# they cost ~5x the demo network's own step on a CPU.
_base_ = ['./source_only_synthetic.py']

model = dict(
    _delete_=True,
    type='UDASegmentor',
    segmentor={{_base_.model}},
    aligners=dict(output_adv=dict(type='OutputAdversarial',
                                  num_classes=19,
                                  levels=dict(main=1e-3, aux=2e-4),
                                  input='softmax',
                                  gan_mode='bce',
                                  discriminator=dict(type='FCDiscriminator',
                                                     base_channels=16))))
# Multi-GPU: G and every discriminator in its own DDP (the default
# wrapper would not all-reduce a UDA model's gradients).
model_wrapper_cfg = dict(type='UDADistributedDataParallel')
train_dataloader = dict(
    sampler=dict(type='UDAInfiniteSampler', shuffle=True),
    dataset=dict(_delete_=True,
                 type='UDADataset',
                 source={{_base_.source_train_dataset}},
                 target={{_base_.target_train_dataset}},
                 seed=0))
d_optim_wrapper = dict(type='OptimWrapper',
                       optimizer=dict(type='Adam',
                                      lr=1e-4,
                                      betas=(0.9, 0.99)))
optim_wrapper = {
    '_delete_': True,
    'constructor': 'UDAOptimWrapperConstructor',
    'segmentor': {{_base_.optim_wrapper}},
    'output_adv.discriminators': d_optim_wrapper,
}
param_scheduler = {
    '_delete_': True,
    'segmentor': {{_base_.param_scheduler}},
    'output_adv.discriminators': {{_base_.param_scheduler}},
}
