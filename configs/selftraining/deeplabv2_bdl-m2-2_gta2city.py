# BDL's M_2^(2)(F^(2)) (Li et al., CVPR 2019; the baseline row 48.5 of the
# global-local paper's Table 1), DeepLab-v2 ResNet-101, GTA5 -> Cityscapes,
# both self-training rounds chained in ONE run:
#   adapt            80k it: single-level output-space adversarial (one D on
#                            the main softmax, lambda_adv 1e-3, BCE) on
#                            CycleGAN-translated GTA5 (F^(2): BDL's released
#                            second-round translations, GTA5 layout under
#                            `source_s2t_root`); the model M_0^(2)
#   self_training   120k it: pseudo labels of the Cityscapes train images by
#                            M_0 (per-class median confidence capped at 0.9),
#                            then the same losses + PseudoLabelCE, retrained
#                            from the ImageNet init (BDL README, issue #37):
#                            M_1^(2)
#   self_training_2 120k it: labels by M_1, retrained from the init: M_2^(2)
# Labels of round k go to <work_dir>/pseudo_labels_round<k>/. Resume at any
# iteration is exact (each PseudoLabelHook reads its finished folder).
# Decision: the translations are BDL's released images (the paper's F^(2)
# was trained with a semantic-consistency loss that this toolkit's CycleGAN
# does not have; the authors released only the second-round images, BDL
# issues #15 / #37). The 2-branch classifier (dilations 6, 12) is the one
# BDL's published models were trained with.
_base_ = ['./deeplabv2_adaptsegnet-ssl1_gta2city.py']

source_s2t_root = 'data/gta_s2t_cityscapes/'
train_dataloader = dict(dataset=dict(source=dict(data_root=source_s2t_root)))

custom_hooks = _base_.bdl_two_round_hooks
train_cfg = dict(max_iters=_base_.adapt_iters +
                 _base_.self_training_iters + _base_.ssl_round2_iters)

_bdl = 'official code (liyunsheng13/BDL'
recipe_card = dict(
    paper='BDL (Li et al., CVPR 2019)',
    row='M_2^(2)(F^(2)), ResNet-101 (global-local paper, Table 1)',
    paper_miou=48.5,
    values=dict(
        max_iters=dict(value=320000,
                       source=_bdl + ': README, 80k, then 120k per SSL '
                       'round)'),
        ssl_round2_iters=dict(
            key='custom_hooks[type=UDAStageHook].stages'
            '[name=self_training_2].iters',
            value=120000,
            source=_bdl + ': README, the second SSL round as the first)'),
        source_images=dict(value='data/gta_s2t_cityscapes/',
                           source=_bdl + ': README, the released '
                           'CycleGAN-translated GTA5 (F^(2); issue #37)'),
        ssl_from_init=dict(
            key='custom_hooks[out_subdir=pseudo_labels_round1].reinit'),
        pseudo_label_cap=dict(
            key='custom_hooks[out_subdir=pseudo_labels_round1].cap'),
        pseudo_label_scale=dict(
            key='custom_hooks[out_subdir=pseudo_labels_round1].label_scale'),
        round2_from_init=dict(
            key='custom_hooks[out_subdir=pseudo_labels_round2].reinit',
            value='all',
            source=_bdl + ': README, every round from --init-weights)'),
    ))
del _bdl
