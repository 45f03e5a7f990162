# Joint global-local alignment with FCN-8s VGG-16 ("Our AdapSegNet", V),
# GTA5 -> Cityscapes: stage 1 = single-level AdaptSegNet (main D, 1e-3) for
# 120k; stage 2 = pixel D on the stride-8 softmax of the main output,
# source background excluded, lambda_adv 1e-3, theta 0.6 for 30k then 1.0
# for 50k; global D off in stage 2 (the paper's L_step2).
_base_ = ['../adaptsegnet/fcn8s_vgg16_gta2city.py']

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
