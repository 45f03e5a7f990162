# Label-driven reconstruction (LDR, SPEC 4.3), DeepLab-v2 ResNet-101,
# GTA5 -> Cityscapes. Pipeline (README):
#   1. target->source CycleGAN, translated Cityscapes train images written
#      to `target_t2s_root` in the Cityscapes layout;
#   2. M pretrained on GTA5 labels: configs/ldr/pretrain_m_gta5.py;
#   3. this config: G on GTA5 + translated Cityscapes with
#      Eq. (6) = seg CE + L_seg(G(X_t->s), Y_t^ssl) + lambda *
#      output-space adversarial (one D on the main softmax, lambda 1e-3,
#      paper Eq. (1)) + alpha * L_adv^phi + beta * L_rec^phi for phi in
#      {source, translated target} (alpha 1e-3, beta 10, T 1e-3),
#      in one run of two steps (../_base_/uda/pseudo_label_self_training.py):
#      step 1 "adapt" (80k) trains Eq. (6) without the pseudo-label term;
#      at the boundary its model labels the TRANSLATED target images
#      X_t->s (Y_t^ssl, "derived from [28]" = BDL's median thresholds,
#      cap 0.9); step 2 "self_training" (120k) trains the whole Eq. (6),
#      PseudoLabelCE (weight 1, main output) included, from the initial
#      weights (G, M back to its pretrained weights, fresh D and D_k).
#      Decision (the paper does not say which model labels the images):
#      each config labels with its own step 1, as BDL does; for labels of
#      a plain adversarial model set ldr=dict(active=False) in the "adapt"
#      stage, for labels from a folder see the comment at the end of the
#      base file.
# Decisions (the paper is silent): M and the D_k as in
# ../_base_/uda/ldr.py; they follow the poly decay of G.
_base_ = [
    '../adaptsegnet/deeplabv2_gta2city.py',
    '../_base_/uda/pseudo_label_self_training.py',
    '../_base_/uda/ldr.py',
]

# Translated target images (CycleGAN target->source), same layout as
# data/cityscapes/ (leftImg8bit/train/<city>/*_leftImg8bit.png).
target_t2s_root = 'data/cityscapes_t2s_gta5/'

train_dataloader = dict(dataset=dict(target=dict(data_root=target_t2s_root)))
model = dict(aligners=dict(
    output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
    # switched on for step 2 by the UDAStageHook of the base
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
                   active=False),
    ldr={{_base_.ldr_aligner}}))
optim_wrapper = {
    'ldr.reconstructor': {{_base_.ldr_optim_wrapper}},
    'ldr.discriminator': {{_base_.ldr_optim_wrapper}},
}
param_scheduler = {
    'ldr.reconstructor': {{_base_.param_scheduler.segmentor}},
    'ldr.discriminator': {{_base_.param_scheduler.segmentor}},
}
# step 1 + step 2 (adapt_iters + self_training_iters of the base)
train_cfg = dict(max_iters=200000)

# Decisions (the paper builds on BDL, whose result is its S->T row): BDL's
# network and init, i.e. single level (no auxiliary classifier) with the
# 2-branch classifier of BDL's published models, from the ImageNet DeepLab
# init; translated val images at test time (paper Fig. 1).
model['segmentor'] = dict(
    auxiliary_head=None,
    backbone=dict(init_cfg=dict(checkpoint=_base_.deeplab_init_imagenet)))
val_dataloader = dict(dataset=dict(data_prefix=dict(
    img_path=_base_.translated_val_gta5)))
test_dataloader = val_dataloader

_ldr = 'paper (LDR, Sec. 4.3)'
_bdl = 'official code (liyunsheng13/BDL'
recipe_card = dict(
    paper='LDR (Yang et al., ECCV 2020)',
    row='Table 1 / 3, Ours (T->S + reconstruction), R',
    paper_miou=49.5,
    values=dict(
        _base_.ssl_card_values,
        **_base_.ldr_card_values,
        g_lr=dict(source=_ldr + ': SGD 2.5e-4, poly 0.9'),
        g_momentum=dict(source=_ldr + ': momentum 0.9'),
        g_weight_decay=dict(source=_ldr + ': weight decay 5e-4'),
        max_iters=dict(value=200000,
                       source='decision: BDL\'s 80k + 120k (paper silent; '
                       'its S->T row is BDL)'),
        batch=dict(source=_ldr + ': batch 1'),
        adv_levels=dict(value=dict(_delete_=True, main=1e-3),
                        source=_ldr + ': lambda 1e-3 for DeepLab-ResNet101, '
                        'one output-space D'),
        aux_seg_weight=dict(key='model.segmentor.auxiliary_head',
                            value=None,
                            source=_bdl + ': model/deeplab.py, single '
                            'level; decision: LDR follows BDL)'),
        init=dict(value='pretrain/deeplabv2_init-imagenet.pth',
                  source=_bdl + ': ImageNet init; decision: LDR follows '
                  'BDL)'),
        ))
del _ldr, _bdl
