# BDL's M_2^(2)(F^(2)) with FCN-8s VGG-16 (the "V" baseline row 41.3 of the
# LDR paper's Table 3 and of the global-local paper's Table 1), GTA5 ->
# Cityscapes: the two chained rounds of ./deeplabv2_bdl-m2-2_gta2city.py
# (80k adversarial, then two self-training rounds of 120k from the init, on
# BDL's released translated GTA5) with BDL's VGG optimisation: G with Adam
# 1e-5, betas (0.9, 0.99), step decay x0.1 every 50k (restarted with each
# round); one output-space D on the softmax, lambda_adv 1e-4.
# Decision: lambda_adv 1e-4 and the Adam schedule as the LDR paper states
# them for FCN-VGG16 (Sec. 4.3), which builds on BDL's VGG setting.
_base_ = [
    '../adaptsegnet/fcn8s_vgg16_gta2city.py',
    '../_base_/uda/pseudo_label_self_training.py',
]
source_s2t_root = 'data/gta_s2t_cityscapes/'
train_dataloader = dict(dataset=dict(source=dict(data_root=source_s2t_root)))
model = dict(aligners=dict(
    output_adv=dict(levels=dict(_delete_=True, main=1e-4)),
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
                   active=False)))
optim_wrapper = dict(segmentor=dict(_delete_=True,
                                    type='OptimWrapper',
                                    optimizer=dict(type='Adam',
                                                   lr=1e-5,
                                                   betas=(0.9, 0.99))))
param_scheduler = dict(segmentor=[
    dict(type='MultiStepLR',
         milestones=[50000, 100000],
         gamma=0.1,
         by_epoch=False)
])
custom_hooks = _base_.bdl_two_round_hooks
train_cfg = dict(max_iters=_base_.adapt_iters +
                 _base_.self_training_iters + _base_.ssl_round2_iters)

_paper = 'paper (LDR, Sec. 4.3, FCN-VGG16, after BDL)'
_bdl = 'official code (liyunsheng13/BDL'
_hooks = 'custom_hooks[out_subdir=pseudo_labels_round1]'
recipe_card = dict(
    paper='BDL (Li et al., CVPR 2019)',
    row='M_2^(2)(F^(2)), VGG-16 (LDR Table 3 S->T, V)',
    paper_miou=41.3,
    values=dict(
        _base_.ssl_card_values,
        g_lr=dict(value=1e-5, source=_paper + ': Adam 1e-5'),
        g_optimizer=dict(value='Adam', source=_paper),
        poly_horizon=dict(_delete_=True,
                          key='param_scheduler.segmentor[0]',
                          value=dict(type='MultiStepLR',
                                     milestones=[50000, 100000],
                                     gamma=0.1,
                                     by_epoch=False),
                          source=_paper + ': step 50000, factor 0.1'),
        max_iters=dict(value=320000,
                       source=_bdl + ': README, 80k + 2 x 120k)'),
        adv_levels=dict(value=dict(_delete_=True, main=1e-4),
                        source=_paper + ': lambda 1e-4'),
        source_images=dict(key='train_dataloader.dataset.source.data_root',
                           value='data/gta_s2t_cityscapes/',
                           source=_bdl + ': README, the released '
                           'translated GTA5, F^(2))'),
        ssl_from_init=dict(_base_.ssl_card_values.ssl_from_init,
                           key=_hooks + '.reinit'),
        pseudo_label_cap=dict(_base_.ssl_card_values.pseudo_label_cap,
                              key=_hooks + '.cap'),
        pseudo_label_scale=dict(_base_.ssl_card_values.pseudo_label_scale,
                                key=_hooks + '.label_scale'),
    ))
del _paper, _bdl, _hooks
