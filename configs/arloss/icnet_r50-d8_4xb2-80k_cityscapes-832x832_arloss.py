# ICNet-50 on Cityscapes with CE + 0.1 * AR loss on the main output branch
# (the decode head on ICNeck's full-resolution output; paper 4.2), trained
# from the start with the baseline's recipe. Single-scale test as in the
# paper; --tta (multi-scale + flip) is an extra option, see the baseline.
_base_ = './icnet_r50-d8_4xb2-80k_cityscapes-832x832.py'
model = dict(decode_head=dict(loss_decode=[
    dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
    dict(type='AffinityRegressionLoss', grid_sizes=(12, 6), loss_weight=0.1),
]))
recipe_card = dict(
    row='Table 3, ICNet-50 + AR loss, trained from the start (the paper '
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
