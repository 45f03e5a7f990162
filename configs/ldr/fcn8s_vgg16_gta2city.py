# LDR with FCN-8s VGG-16 (the paper's "V" rows), GTA5 -> Cityscapes.
# Paper Sec. 4.3 for VGG-16: G trained with Adam 1e-5, betas (0.9, 0.99),
# step decay x0.1 every 50k iterations; lambda (output-space D) 1e-4;
# alpha 1e-2; beta 10 and T 1e-3 as for ResNet-101. The reconstruction
# part and the two steps (step 1 without, step 2 with the pseudo-label term
# of Eq. (1), from the initial weights) are those of ./deeplabv2_gta2city.py
# (same M, D_k, VGG-19 loss, 80k + 120k); the step decay of G restarts with
# step 2 (milestones 50k, 100k of each step).
_base_ = [
    '../adaptsegnet/fcn8s_vgg16_gta2city.py',
    '../_base_/uda/pseudo_label_self_training.py',
    '../_base_/uda/ldr.py',
]

target_t2s_root = 'data/cityscapes_t2s_gta5/'

train_dataloader = dict(dataset=dict(target=dict(data_root=target_t2s_root)))
model = dict(aligners=dict(
    output_adv=dict(levels=dict(_delete_=True, main=1e-4)),
    # switched on for step 2 by the UDAStageHook of the base
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
                   active=False),
    ldr=dict(
        _base_.ldr_aligner,
        adv_weight=1e-2,
        # G's data_preprocessor (SSD-style VGG-16: RGB, mean, std 1)
        input_norm=dict(mean=[123.675, 116.28, 103.53],
                        std=[1.0, 1.0, 1.0],
                        bgr_to_rgb=True))))
step_decay = [
    dict(type='MultiStepLR',
         milestones=[50000, 100000],
         gamma=0.1,
         by_epoch=False)
]
optim_wrapper = {
    'segmentor': dict(_delete_=True,
                      type='OptimWrapper',
                      optimizer=dict(type='Adam', lr=1e-5,
                                     betas=(0.9, 0.99))),
    'ldr.reconstructor': {{_base_.ldr_optim_wrapper}},
    'ldr.discriminator': {{_base_.ldr_optim_wrapper}},
}
param_scheduler = {
    'segmentor': step_decay,
    'ldr.reconstructor': {{_base_.param_scheduler.segmentor}},
    'ldr.discriminator': {{_base_.param_scheduler.segmentor}},
}
# step 1 + step 2 (adapt_iters + self_training_iters of the base)
train_cfg = dict(max_iters=200000)
# translated val images at test time (paper Fig. 1)
val_dataloader = dict(dataset=dict(data_prefix=dict(
    img_path=_base_.translated_val_gta5)))
test_dataloader = val_dataloader

_ldr = 'paper (LDR, Sec. 4.3)'
recipe_card = dict(
    paper='LDR (Yang et al., ECCV 2020)',
    row='Table 1 / 3, Ours (T->S + reconstruction), V',
    paper_miou=43.6,
    values=dict(
        _base_.ssl_card_values,
        **{k: v
           for k, v in _base_.ldr_card_values.items()
           if k != 'adv_weight_alpha'},
        network=dict(source='paper (LDR, Sec. 4.2): FCN-VGG16'),
        g_lr=dict(value=1e-5, source=_ldr + ': Adam 1e-5 for FCN-VGG16'),
        g_optimizer=dict(value='Adam', source=_ldr),
        g_betas=dict(key='optim_wrapper.segmentor.optimizer.betas',
                     value=(0.9, 0.99),
                     source=_ldr + ': momentum {0.9, 0.99}'),
        poly_horizon=dict(_delete_=True,
                          key='param_scheduler.segmentor[0]',
                          value=dict(type='MultiStepLR',
                                     milestones=[50000, 100000],
                                     gamma=0.1,
                                     by_epoch=False),
                          source=_ldr + ': step decay, step 50000, factor '
                          '0.1 (restarted with the step-2 round)'),
        max_iters=dict(value=200000,
                       source='decision: BDL\'s 80k + 120k (paper silent)'),
        batch=dict(source=_ldr + ': batch 1'),
        adv_levels=dict(value=dict(_delete_=True, main=1e-4),
                        source=_ldr + ': lambda 1e-4 for FCN-VGG16'),
        adv_weight_alpha=dict(key='model.aligners.ldr.adv_weight',
                              value=1e-2,
                              source=_ldr + ': alpha 0.01 for FCN-VGG16'),
    ))
del _ldr
