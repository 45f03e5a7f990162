# PSPNet-R101 on NYUv2-40 trained from the start with CE + 0.1 * AR loss
# (paper eq. 7) on the main head; same recipe as the baseline. Multi-scale
# test as the paper reports it (4.2, PSPNet's ratios 0.5-1.75 + flip;
# tta_pipeline in nyuv2.py): tools/test.py --tta.
_base_ = './pspnet_r101-d8_2xb3-26k_nyuv2-480x480.py'
model = dict(decode_head=dict(loss_decode=[
    dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
    dict(type='AffinityRegressionLoss', grid_sizes=(12, 6), loss_weight=0.1),
]))
recipe_card = dict(
    row='Table 1, PSPNet-101 + AR loss, trained from the start (the paper '
    'fine-tunes: the -ft config)',
    paper_miou=None,
    values=dict(
        ar_loss=dict(value=[
            dict(type='CrossEntropyLoss', use_sigmoid=False,
                 loss_weight=1.0),
            dict(type='AffinityRegressionLoss', grid_sizes=(12, 6),
                 loss_weight=0.1),
        ],
                     source='paper (AR loss, Eq. 7: lambda 0.1; Sec. 3: '
                     'grids 12 and 6)'),
    ))
