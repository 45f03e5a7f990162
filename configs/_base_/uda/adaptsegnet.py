# AdaptSegNet's adversarial training (Tsai et al., CVPR 2018; SPEC 3) for
# the output-space baselines (../../adaptsegnet, and through them ADVENT,
# GL, SIM, self-training): G in the baselines' SGD recipe, one Adam
# optimizer (1e-4, betas 0.9 / 0.99) for the output-space discriminators,
# both on the same poly decay over the 250k horizon, and the UDA DDP
# wrapper. A leaf lists a network base, a UDA data base and this file,
# then wraps its network:
#   data_preprocessor = dict(size_divisor=1)
#   model = dict(_delete_=True, type='UDASegmentor', segmentor=_base_.model,
#                aligners=dict(output_adv=_base_.output_adv))
# (model and data_preprocessor belong to the network base, which MMEngine
# does not let a second base redefine.)
_base_ = [
    '../default_runtime.py',
    '../schedules/schedule_uda_250k_poly.py',
]
# D on the softmax of the main (lambda 1e-3) and aux (2e-4) outputs, BCE,
# source label 0 / target label 1.
output_adv = dict(type='OutputAdversarial',
                  num_classes=19,
                  levels=dict(main=1e-3, aux=2e-4),
                  input='softmax',
                  gan_mode='bce')
# Multi-GPU: G and every discriminator in its own DDP (the default
# wrapper would not all-reduce a UDA model's gradients).
model_wrapper_cfg = dict(type='UDADistributedDataParallel')
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
