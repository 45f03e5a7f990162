# Table 3, S2 (paper: 42.9): S1 + a local (pixel) discriminator, WITHOUT
# source background exclusion (ignore pixels are aligned too) and WITHOUT
# the mixture module (theta 1.0 in both local stages): global 150k, then
# local D for 30k + 50k with restarted optimizers, the global D off as in
# S4.
_base_ = ['./deeplabv2_gta2city.py']

model = dict(aligners=dict(local_adv=dict(exclude_background=False)))
custom_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(name='global',
                  iters=_base_.global_iters,
                  aligners=_base_.global_stage_aligners)
         ] + _base_.local_stages_no_mixture)
]
recipe_card = dict(
    row='Table 3, S2 (+ local D)',
    paper_miou=42.9,
    values=dict(
        theta=dict(value=1.0, source='paper (global-local, Table 3): S2 '
                   'has no mixture module'),
        background_exclusion=dict(value=False,
                                  source='paper (global-local, Table 3): '
                                  'S2 adapts background outputs')))
