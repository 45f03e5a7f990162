# Table 3, S2 (paper: 42.9): S1 + a local (pixel) discriminator, WITHOUT
# source background exclusion (ignore pixels are aligned too) and WITHOUT
# the mixture module: global 120k, then local D with theta 1.0 for all
# 80k (30k + 50k of the full schedule; the global D off as in S4).
_base_ = ['./deeplabv2_gta2city.py']

model = dict(aligners=dict(local_adv=dict(exclude_background=False)))
custom_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(name='global',
                  iters=120000,
                  aligners=dict(output_adv=dict(active=True),
                                local_adv=dict(active=False))),
             dict(name='local',
                  iters=80000,
                  aligners=dict(output_adv=dict(active=False),
                                local_adv=dict(active=True, theta=1.0))),
         ])
]
