# Joint global-local alignment (SPEC 4.1), DeepLab-v2 ResNet-101,
# GTA5 -> Cityscapes. One command runs both stages:
#   global     120k it: AdaptSegNet (output-space D on main + aux outputs)
#   local_mix   30k it: pixel-level D on the stride-8 softmax, source
#                       background excluded, mixture with theta 0.6;
#                       global D off (the paper's L_step2)
#   local       50k it: the same with theta 1.0 (no mixing)
# To keep the global D on in stage 2, set output_adv=dict(active=True) in
# the local stages. To start stage 2 from an existing stage-1 checkpoint,
# drop the first stage and set `load_from` to that checkpoint.
_base_ = ['../adaptsegnet/deeplabv2_gta2city.py']

model = dict(aligners=dict(local_adv=dict(type='LocalAdversarial',
                                          num_classes=19,
                                          loss_weight=1e-3,
                                          theta=1.0,
                                          exclude_background=True,
                                          resolution='native',
                                          align='crop',
                                          active=False)))
optim_wrapper = {
    'local_adv.discriminator': {{_base_.d_optim_wrapper}},
}
param_scheduler = {
    'local_adv.discriminator': {{_base_.param_scheduler.segmentor}},
}
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
                                local_adv=dict(active=True, theta=0.6))),
             dict(name='local',
                  iters=50000,
                  aligners=dict(local_adv=dict(theta=1.0))),
         ])
]
train_cfg = dict(max_iters=200000)
