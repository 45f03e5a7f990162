# Baseline of the AR-loss paper's Table 3: ICNet-50 on Cityscapes (19
# classes). The paper "follows the settings of ICNet"; we use MMSeg's ICNet
# recipe (ResNetV1c-50 ImageNet init, 4 GPUs x 2 images, 832x832 crops,
# SGD lr 0.01 poly, 80k iterations), whose published results are the
# reference for a reproduction.
# The paper's Cityscapes results are single-scale (ICNet's test; it reports
# multi-scale only for PSPNet): plain tools/test.py. --tta is an extra
# option, PSPNet's ratios 0.5-1.75 + flip (cityscapes_832x832.py).
_base_ = [
    '../_base_/models/icnet_r50-d8.py',
    '../_base_/datasets/cityscapes_832x832.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_sgd_poly_80k.py',
]
crop_size = (832, 832)
model = dict(data_preprocessor=dict(size=crop_size))

_mmseg = 'decision: MMSeg\'s ICNet recipe (the paper "follows ICNet")'
recipe_card = dict(
    paper='AR loss (Cao, "Use square root affinity to regress labels in semantic segmentation")',
    row='Table 3, ICNet-50 (baseline; the paper reports the test set)',
    task='Cityscapes',
    paper_miou=69.5,
    metric='mIoU (Cityscapes test)',
    values=dict(
        lr=dict(key='optim_wrapper.optimizer.lr', value=0.01, source=_mmseg),
        weight_decay=dict(key='optim_wrapper.optimizer.weight_decay',
                          value=5e-4,
                          source=_mmseg),
        max_iters=dict(key='train_cfg.max_iters', value=80000,
                       source=_mmseg),
        batch=dict(key='train_dataloader.batch_size',
                   value=2,
                   source=_mmseg + ', 4 GPUs x 2'),
        crop=dict(key='crop_size', value=(832, 832), source=_mmseg),
        init=dict(key='model.backbone.backbone_cfg.init_cfg.checkpoint',
                  value='open-mmlab://resnet50_v1c',
                  source=_mmseg),
        test=dict(key='test_cfg.type',
                  value='TestLoop',
                  source='paper (AR loss, Sec. 4.2): single-scale for ICNet '
                  '(--tta is an extra option)'),
        ar_loss=dict(key='model.decode_head.loss_decode',
                     value=dict(type='CrossEntropyLoss',
                                use_sigmoid=False,
                                loss_weight=1.0),
                     source='paper (AR loss, Table 3): the baseline'),
    ))
del _mmseg
