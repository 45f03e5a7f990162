# Demo: joint global-local alignment (SPEC 4.1) on the synthetic benchmark,
# the paper's schedule scaled to 1000 iterations (120k : 30k : 50k):
#   stage 1 "global"    600 it: AdaptSegNet (output-space D, main + aux)
#   stage 2 "local_mix" 150 it: pixel D, background exclusion, mixture
#                               theta 0.6; global D off (paper's L_step2)
#   stage 3 "local"     250 it: the same with theta 1.0 (no mixing)
# The pixel D is narrowed like the demo's FCDiscriminators (1/4 width).
_base_ = ['./adaptsegnet_synthetic.py']

model = dict(aligners=dict(local_adv=dict(type='LocalAdversarial',
                                          num_classes=19,
                                          loss_weight=1e-3,
                                          theta=1.0,
                                          exclude_background=True,
                                          resolution='native',
                                          align='crop',
                                          active=False,
                                          discriminator=dict(
                                              type='PixelDiscriminator',
                                              channels=(16, 32, 64, 128)))))
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
                  iters=600,
                  aligners=dict(output_adv=dict(active=True),
                                local_adv=dict(active=False))),
             dict(name='local_mix',
                  iters=150,
                  aligners=dict(output_adv=dict(active=False),
                                local_adv=dict(active=True, theta=0.6))),
             dict(name='local',
                  iters=250,
                  aligners=dict(local_adv=dict(theta=1.0))),
         ])
]
