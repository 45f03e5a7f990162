# Global-local alignment with a multi-level global stage (a named variant,
# not a paper row): stage 1 is multi-level AdaptSegNet (main + aux output
# D, 1e-3 / 2e-4, ../adaptsegnet/deeplabv2_gta2city.py, 42.4 in its paper),
# stage 2 as ./deeplabv2_gta2city.py (the paper states one lambda_adv =
# 0.001 and single-level baselines).
_base_ = [
    '../adaptsegnet/deeplabv2_gta2city.py',
    '../_base_/uda/globallocal.py',
]
global_iters = 150000
model = dict(aligners=dict(local_adv=_base_.local_adv))
optim_wrapper = {'local_adv.discriminator': _base_.local_d_optim_wrapper}
param_scheduler = {'local_adv.discriminator': _base_.local_d_scheduler}
custom_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(name='global',
                  iters=global_iters,
                  aligners=_base_.global_stage_aligners)
         ] + _base_.local_stages_gta5)
]
train_cfg = dict(max_iters=global_iters + _base_.local_iters)
recipe_card = dict(
    paper='Joint global-local alignment (Yarram et al., ICASSP 2022)',
    row='variant: multi-level global stage (no paper row)',
    paper_miou=None,
    values=dict(_base_.gl_card_values,
                max_iters=dict(value=230000,
                               source='decision: as '
                               './deeplabv2_gta2city.py')))
