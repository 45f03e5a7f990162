# Joint global-local alignment, DeepLab-v2 ResNet-101, SYNTHIA -> Cityscapes
# ("Our AdapSegNet", R, Table 1: 46.9 mIoU13): the GTA5 recipe of
# ./deeplabv2_gta2city.py with the SYNTHIA baseline (single-level
# AdaptSegNet, 45.9) and the paper's SYNTHIA mixture floor theta = 0.8:
# global 150k, local_mix 30k (theta 0.8), local 50k (theta 1.0). 19-way
# head; mIoU16 / mIoU13 from the same confusion matrix.
_base_ = [
    '../adaptsegnet/deeplabv2_single-level_syn2city.py',
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
         ] + _base_.local_stages_synthia)
]
train_cfg = dict(max_iters=global_iters + _base_.local_iters)
recipe_card = dict(
    paper='Joint global-local alignment (Yarram et al., ICASSP 2022)',
    row='Table 1, "Our AdapSegNet", R',
    paper_miou=46.9,
    values=dict(
        _base_.gl_card_values,
        theta=dict(_base_.gl_card_values.theta, value=0.8),
        max_iters=dict(value=230000,
                       source='decision: the baseline\'s stop (150k, as '
                       'GTA5) for the global model, then 30k + 50k')))
