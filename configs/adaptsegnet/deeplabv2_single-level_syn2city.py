# Single-level AdaptSegNet, DeepLab-v2 ResNet-101, SYNTHIA -> Cityscapes:
# the SYNTHIA source of ./deeplabv2_syn2city.py with the single-level
# network and D of ./deeplabv2_single-level_gta2city.py. The AdaptSegNet
# row of the global-local paper's Table 1 (45.9 mIoU13).
_base_ = ['./deeplabv2_syn2city.py']

model = dict(segmentor=dict(auxiliary_head=None),
             aligners=dict(output_adv=dict(levels=dict(_delete_=True,
                                                       main=1e-3))))
recipe_card = dict(
    row='Table 2 (SYNTHIA), ResNet-101, single-level',
    paper_miou=45.9,
    values=dict(
        adv_levels=dict(value=dict(_delete_=True, main=1e-3),
                        source='official code (wasidennis/AdaptSegNet: '
                        'README single-level: LAMBDA_ADV_TARGET1 0)'),
        aux_seg_weight=dict(key='model.segmentor.auxiliary_head',
                            value=None,
                            source='official code (wasidennis/AdaptSegNet: '
                            'README single-level: LAMBDA_SEG 0)')))
