# Joint global-local alignment with FCN-8s VGG-16, SYNTHIA -> Cityscapes
# ("Our AdapSegNet", V, Table 1: 38.9 mIoU13): the GTA5 sibling with the
# SYNTHIA source and theta 0.8 in the 30k mixture stage (120k global +
# 30k local_mix + 50k local); 19-way head, mIoU16 / mIoU13 reported.
_base_ = [
    '../adaptsegnet/fcn8s_vgg16_syn2city.py',
    '../_base_/uda/globallocal.py',
]
global_iters = 120000
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
    row='Table 1, "Our AdapSegNet", V',
    paper_miou=38.9,
    values=dict(_base_.gl_card_values,
                theta=dict(_base_.gl_card_values.theta, value=0.8),
                max_iters=dict(value=200000,
                               source='decision: the V baseline\'s 120k, '
                               'then the paper\'s 30k + 50k')))
