# ADVENT (AdvEnt), DeepLab-v2 ResNet-101 multi-level, GTA5 -> Cityscapes:
# AdaptSegNet with the discriminators fed ADVENT's weighted
# self-information map -p log2 p / log2 C instead of the softmax
# (main lambda 1e-3, aux 2e-4; BCE, source 0 / target 1). As the official
# code: the 4-branch DeepLab-v2 classifier (ADVENT's copy sums all four),
# the ImageNet-only DeepLab init, a stop at 120k of the 250k poly horizon
# (EARLY_STOP), and the reported model is the best snapshot of every 2k on
# Cityscapes val (TEST.MODE best): save_best here, an ORACLE choice (the
# log says so; the last checkpoint is the label-free result).
_base_ = ['../adaptsegnet/deeplabv2_gta2city.py']

model = dict(segmentor=dict(
    backbone=dict(init_cfg=dict(checkpoint=_base_.deeplab_init_imagenet)),
    decode_head=dict(dilations=(6, 12, 18, 24)),
    auxiliary_head=dict(dilations=(6, 12, 18, 24))),
             aligners=dict(output_adv=dict(input='entropy')))
train_cfg = dict(max_iters=120000, val_interval=2000)
default_hooks = dict(checkpoint=dict(interval=2000, save_best='mIoU',
                                     rule='greater'))

_adv = 'official code (valeoai/ADVENT: advent/domain_adaptation/config.py)'
recipe_card = dict(
    paper='ADVENT (Vu et al., CVPR 2019)',
    row='Table 1, AdvEnt, ResNet-101',
    paper_miou=43.8,
    values=dict(
        g_lr=dict(source=_adv + ': LEARNING_RATE'),
        d_lr=dict(source=_adv + ': LEARNING_RATE_D'),
        poly_horizon=dict(source=_adv + ': MAX_ITERS 250000'),
        max_iters=dict(value=120000, source=_adv + ': EARLY_STOP'),
        d_input=dict(value='entropy',
                     source='paper (ADVENT, Sec. 3.2): weighted '
                     'self-information maps'),
        adv_levels=dict(source=_adv + ': LAMBDA_ADV_MAIN / _AUX'),
        aux_seg_weight=dict(source=_adv + ': LAMBDA_SEG_AUX'),
        aspp_dilations=dict(value=(6, 12, 18, 24),
                            source='official code (valeoai/ADVENT: '
                            'advent/model/deeplabv2.py sums all four '
                            'branches)'),
        init=dict(value='pretrain/deeplabv2_init-imagenet.pth',
                  source='official code (valeoai/ADVENT: '
                  'DeepLab_resnet_pretrained_imagenet.pth, ImageNet); '
                  'fallback: the zoo caffe R101'),
        eval_size=dict(source='official code (valeoai/ADVENT: '
                       'eval_UDA.py), logits upsampled to 2048x1024'),
        model_selection=dict(value='mIoU',
                             source=_adv + ': TEST.MODE best, every '
                             'SAVE_PRED_EVERY 2000 on Cityscapes val: an '
                             'oracle choice, flagged in the log'),
        val_interval=dict(key='train_cfg.val_interval',
                          value=2000,
                          source=_adv + ': SAVE_PRED_EVERY')))
del _adv
