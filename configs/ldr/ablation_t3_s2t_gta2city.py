# Table 3, row "S->T" (R, 48.5 mIoU = BDL's published result): source
# images translated to the target style (BDL-style CycleGAN source->target),
# raw Cityscapes as target, output-space adversarial + the pseudo-label term
# of Eq. (1) (the two steps of ./deeplabv2_gta2city.py: 80k, labels of the
# raw target images by that model, 120k with PseudoLabelCE from the initial
# weights), no reconstruction. `source_s2t_root` holds the translated GTA5
# images in the GTA5 layout (images/, labels/).
_base_ = [
    '../adaptsegnet/deeplabv2_gta2city.py',
    '../_base_/uda/pseudo_label_self_training.py',
]
source_s2t_root = 'data/gta_s2t_cityscapes/'
train_dataloader = dict(dataset=dict(source=dict(data_root=source_s2t_root)))
model = dict(aligners=dict(
    output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
                   active=False)))
train_cfg = dict(max_iters=200000)  # 80k + 120k

# As ./ablation_t3_t2s_gta2city.py: BDL's single-level network from the
# ImageNet init; the raw target is segmented (no target translation here).
model['segmentor'] = dict(
    auxiliary_head=None,
    backbone=dict(init_cfg=dict(checkpoint=_base_.deeplab_init_imagenet)))

_ldr = 'paper (LDR, Sec. 4.3)'
_bdl = 'official code (liyunsheng13/BDL'
recipe_card = dict(
    paper='LDR (Yang et al., ECCV 2020)',
    row='Table 3, S->T (= BDL), R',
    paper_miou=48.5,
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
        source_images=dict(key='train_dataloader.dataset.source.data_root',
                           value='data/gta_s2t_cityscapes/',
                           source='paper (LDR, Table 3): S->T, BDL\'s '
                           'translated GTA5'),
))
del _ldr, _bdl
