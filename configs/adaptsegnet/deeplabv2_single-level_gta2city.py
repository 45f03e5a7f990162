# Single-level AdaptSegNet, DeepLab-v2 ResNet-101, GTA5 -> Cityscapes: one
# output-space D on the main (res5) softmax, lambda_adv 1e-3, no auxiliary
# classifier (the official single-level run sets LAMBDA_SEG = 0 and
# LAMBDA_ADV_TARGET1 = 0, so the aux head gets no loss at all). The
# AdaptSegNet row of the global-local paper's Table 1 and its S1 (41.4),
# and the global stage of ../globallocal/deeplabv2_gta2city.py.
_base_ = ['./deeplabv2_gta2city.py']

model = dict(segmentor=dict(auxiliary_head=None),
             aligners=dict(output_adv=dict(levels=dict(_delete_=True,
                                                       main=1e-3))))
recipe_card = dict(
    row='Table 1, ResNet-101, single-level',
    paper_miou=41.4,
    values=dict(
        adv_levels=dict(value=dict(_delete_=True, main=1e-3),
                        source='official code (wasidennis/AdaptSegNet: '
                        'train_gta2cityscapes_multi.py): LAMBDA_ADV_TARGET1 '
                        '0 in the single-level setting (README)'),
        aux_seg_weight=dict(key='model.segmentor.auxiliary_head',
                            value=None,
                            source='official code (wasidennis/AdaptSegNet: '
                            'README single-level: LAMBDA_SEG 0, the aux '
                            'classifier is never trained)')))
