# Demo: joint global-local alignment (SPEC 4.1) on the synthetic benchmark,
# the paper's schedule scaled to 1000 iterations (120k : 30k : 50k):
#   stage 1 "global"    600 it: single-level AdaptSegNet (main output D,
#                               lambda_adv 1e-3; the paper's S1), i.e.
#                               ./adaptsegnet_single-level_synthetic.py
#   stage 2 "local_mix" 150 it: pixel D, background exclusion, mixture
#                               theta 0.6; global D off (paper's L_step2)
#   stage 3 "local"     250 it: the same with theta 1.0 (no mixing)
# Stage 2 is a second run started from the global model, as the paper
# trains it ("SGD 2.5e-4 for G, Adam 1e-4 for D", Sec. 3): at its first
# iteration G and the pixel D start afresh at their base lr (demo: 0.01 and
# 1e-4) with empty optimizer states. Decision (the demo's convention): the
# restarted poly curves reach 0 at the end of the run, as every demo
# schedule does at its stop (the full-size config restarts the 250k
# horizon instead).
# The pixel D is narrowed like the demo's FCDiscriminators (1/4 width).
_base_ = ['./adaptsegnet_single-level_synthetic.py']

local_iters = 400
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
local_poly = dict(type='PolyLR',
                  power=0.9,
                  eta_min=0.0,
                  begin=0,
                  end=local_iters,
                  by_epoch=False)
custom_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(name='global',
                  iters=1000 - local_iters,
                  aligners=dict(output_adv=dict(active=True),
                                local_adv=dict(active=False))),
             dict(name='local_mix',
                  iters=150,
                  aligners=dict(output_adv=dict(active=False),
                                local_adv=dict(active=True, theta=0.6)),
                  restart=True,
                  param_scheduler={
                      'segmentor': [local_poly],
                      'local_adv.discriminator': [local_poly],
                  }),
             dict(name='local',
                  iters=local_iters - 150,
                  aligners=dict(local_adv=dict(theta=1.0))),
         ])
]
