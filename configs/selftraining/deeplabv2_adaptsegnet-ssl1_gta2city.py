# AdaptSegNet + ONE BDL self-training round (SPEC 2, 5), DeepLab-v2
# ResNet-101, GTA5 -> Cityscapes, raw GTA5 images. Not BDL's M_2^(2) (two
# SSL rounds on CycleGAN-translated GTA5): that is
# ./deeplabv2_bdl-m2-2_gta2city.py. This config is the pseudo-label step
# of BDL on the AdaptSegNet single-level model; no paper reports this row.
# ONE run of two steps:
#   step 1 "adapt"         80k it: single-level output-space adversarial
#       alignment (AdaptSegNet/BDL: one DLV2Head on res5, FCDiscriminator
#       on its softmax, lambda_adv 1e-3, BCE, source 0 / target 1)
#   boundary (PseudoLabelHook, after iteration 80k, i.e. after iter_80000.pth
#       is saved): pseudo labels of the 2975 Cityscapes train images by the
#       step-1 model at 1024x512, softmax upsampled (align_corners=True) to
#       the label size 1024x512 (BDL's 512x1024), per-class threshold =
#       median confidence of the pixels predicted as that class, capped at
#       0.9; written to <work_dir>/pseudo_labels/<city>/
#       <name>_pseudoTrainIds.png, and the target dataset reads them
#   step 2 "self_training" 120k it: the same losses + PseudoLabelCE (target
#       CE on the pseudo labels, weight 1, mean over labelled pixels),
#       retrained FROM THE INITIAL WEIGHTS (BDL README / issue #37: the SSL
#       round starts again from the ImageNet init): reinit='all' restores G
#       and D, clears their optimizer states and restarts the poly schedules
#       (250k horizon, as a fresh 120k run).
# BDL's source images are GTA5 translated to the Cityscapes style by its
# CycleGAN (./deeplabv2_bdl-m2-2_gta2city.py reads them). To train step 2 separately instead (e.g.
# labels from tools/generate_pseudo_labels.py), see the comment at the end.
_base_ = [
    '../adaptsegnet/deeplabv2_gta2city.py',
    '../_base_/uda/pseudo_label_self_training.py',
]

# BDL starts (both rounds) from the ImageNet DeepLab init (issue #37).
model = dict(
    segmentor=dict(
        auxiliary_head=None,
        backbone=dict(init_cfg=dict(
            checkpoint=_base_.deeplab_init_imagenet))),
    aligners=dict(output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
                  pseudo_ce=dict(type='PseudoLabelCE',
                                 levels=dict(main=1.0),
                                 active=False)))
train_cfg = dict(max_iters=_base_.adapt_iters + _base_.self_training_iters)
# Step 2 on its own (labels already generated): see the end of
# ../_base_/uda/pseudo_label_self_training.py.

_bdl = 'official code (liyunsheng13/BDL'
recipe_card = dict(
    paper='BDL (Li et al., CVPR 2019), one SSL round on AdaptSegNet',
    row='no paper row (AdaptSegNet single-level + 1 SSL round, raw GTA5)',
    paper_miou=None,
    values=dict(
        _base_.ssl_card_values,
        max_iters=dict(value=200000,
                       source=_bdl + ': README, 80k + 120k)'),
        adv_levels=dict(value=dict(_delete_=True, main=1e-3),
                        source=_bdl + ': BDL.py, one D on the main softmax, '
                        'lambda_adv 1e-3)'),
        aux_seg_weight=dict(key='model.segmentor.auxiliary_head',
                            value=None,
                            source=_bdl + ': model/deeplab.py, single-level '
                            'network)'),
        init=dict(value='pretrain/deeplabv2_init-imagenet.pth',
                  source=_bdl + ': --init-weights, ImageNet (issue #37); '
                  'fallback: the zoo caffe R101)'),
        source_images=dict(key='train_dataloader.dataset.source.data_root',
                           value='data/gta/',
                           source='decision: raw GTA5 (BDL trains on its '
                           'CycleGAN translations: the bdl-m2-2 config)'),
    ))
del _bdl
