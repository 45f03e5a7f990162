# Table 3, row "T->S" (R, 49.1 mIoU): target images translated to the
# source style, output-space adversarial + the pseudo-label term of Eq. (1)
# (the two steps of ./deeplabv2_gta2city.py; the labels are those of the
# translated images), no reconstruction (the full method, T->S +
# reconstruction, is ./deeplabv2_gta2city.py).
_base_ = [
    '../adaptsegnet/deeplabv2_gta2city.py',
    '../_base_/uda/pseudo_label_self_training.py',
]
target_t2s_root = 'data/cityscapes_t2s_gta5/'
train_dataloader = dict(dataset=dict(target=dict(data_root=target_t2s_root)))
model = dict(aligners=dict(
    output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
                   active=False)))
train_cfg = dict(max_iters=200000)  # 80k + 120k

# Decisions (the paper builds on BDL, whose result is its S->T row): BDL's
# network and init, i.e. single level (no auxiliary classifier) with the
# 2-branch classifier of BDL's published models, from the ImageNet DeepLab
# init; translated val images at test time (paper Fig. 1).
model['segmentor'] = dict(
    auxiliary_head=None,
    backbone=dict(init_cfg=dict(checkpoint=_base_.deeplab_init_imagenet)))
val_dataloader = dict(dataset=dict(data_prefix=dict(
    img_path='../cityscapes_t2s_gta5/leftImg8bit/val')))
test_dataloader = val_dataloader

_ldr = 'paper (LDR, Sec. 4.3)'
_bdl = 'official code (liyunsheng13/BDL'
recipe_card = dict(
    paper='LDR (Yang et al., ECCV 2020)',
    row='Table 3, T->S without reconstruction, R',
    paper_miou=49.1,
    values=dict(
        _base_.ssl_card_values,
        
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
        target_images=dict(key='train_dataloader.dataset.target.data_root',
                           value='data/cityscapes_t2s_gta5/',
                           source='paper (LDR, Table 3): T->S'),
        eval_images=dict(key='test_dataloader.dataset.data_prefix.img_path',
                         value='../cityscapes_t2s_gta5/leftImg8bit/val',
                         source='paper (LDR, Fig. 1): translated target '
                         'images are segmented'),
))
del _ldr, _bdl
