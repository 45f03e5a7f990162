# Joint global-local alignment with FCN-8s VGG-16 ("Our AdapSegNet", V,
# Table 1: 36.8), GTA5 -> Cityscapes: stage 1 = single-level AdaptSegNet
# with FCN-8s (main D, 1e-3; ../adaptsegnet/fcn8s_vgg16_gta2city.py, 120k);
# stage 2 = pixel D on the stride-8 softmax of the main output, source
# background excluded, lambda_adv 1e-3, theta 0.6 for 30k then 1.0 for 50k,
# optimizers restarted; global D off in stage 2 (the paper's L_step2).
_base_ = [
    '../adaptsegnet/fcn8s_vgg16_gta2city.py',
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
         ] + _base_.local_stages_gta5)
]
train_cfg = dict(max_iters=global_iters + _base_.local_iters)
recipe_card = dict(
    paper='Joint global-local alignment (Yarram et al., ICASSP 2022)',
    row='Table 1, "Our AdapSegNet", V',
    paper_miou=36.8,
    values=dict(_base_.gl_card_values,
                max_iters=dict(value=200000,
                               source='decision: the V baseline\'s 120k, '
                               'then the paper\'s 30k + 50k')))
