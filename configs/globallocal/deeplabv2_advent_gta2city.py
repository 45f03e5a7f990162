# Joint global-local alignment on top of ADVENT ("Our ADVENT", R, Table 1:
# 46.4), DeepLab-v2 ResNet-101, GTA5 -> Cityscapes: stage 1 (120k, ADVENT's
# stop) is AdvEnt as ../advent/deeplabv2_gta2city.py (entropy-map
# discriminators, main 1e-3 / aux 2e-4, 4-branch classifier, ImageNet
# init); stage 2 the local alignment of ./deeplabv2_gta2city.py (pixel D on
# the stride-8 softmax, background excluded, theta 0.6 for 30k then 1.0 for
# 50k, optimizers restarted). Reported: the last checkpoint (the paper gives
# the mean of 10 runs, no snapshot selection), so ADVENT's save_best is off.
_base_ = [
    '../advent/deeplabv2_gta2city.py',
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
train_cfg = dict(max_iters=global_iters + _base_.local_iters,
                 val_interval=5000)
default_hooks = dict(checkpoint=dict(interval=5000, save_best=None))
recipe_card = dict(
    paper='Joint global-local alignment (Yarram et al., ICASSP 2022)',
    row='Table 1, "Our ADVENT", R',
    paper_miou=46.4,
    values=dict(
        _base_.gl_card_values,
        max_iters=dict(value=200000,
                       source='official code (valeoai/ADVENT: EARLY_STOP '
                       '120k) for the global model, then the paper\'s 30k '
                       '+ 50k'),
        model_selection=dict(value=None,
                             source='decision: the last checkpoint (the '
                             'paper reports the mean of 10 runs)'),
        val_interval=dict(value=5000,
                          source='decision: no snapshot selection')))
