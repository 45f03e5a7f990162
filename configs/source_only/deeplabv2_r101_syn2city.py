# Source-only DeepLab-v2 ResNet-101 (multi-level), trained on
# SYNTHIA-RAND-CITYSCAPES (1280x760) with a 19-way head, evaluated on
# Cityscapes val. mIoU16 and mIoU13 come from the same confusion matrix as the
# 19-class mIoU (SPEC 3); terrain, truck and train never occur in SYNTHIA.
_base_ = [
    '../_base_/models/deeplabv2_r101-caffe.py',
    '../_base_/datasets/synthia.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_uda_250k_poly.py',
]
model = dict(data_preprocessor=dict(size_divisor=1))
val_evaluator = dict(type='SubsetIoUMetric',
                     iou_metrics=['mIoU'],
                     subsets=dict(
                         mIoU16=[0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13,
                                 15, 17, 18],
                         mIoU13=[0, 1, 2, 6, 7, 8, 10, 11, 12, 13, 15, 17,
                                 18]))
test_evaluator = val_evaluator

_asn = 'official code (wasidennis/AdaptSegNet: train_gta2cityscapes_multi.py)'
recipe_card = dict(
    paper='LDR (Yang et al., ECCV 2020) / global-local',
    row='Table 2, source only, R',
    task='SYNTHIA -> Cityscapes',
    paper_miou=38.6,
    metric='mIoU13',
    values=dict(
        g_optimizer=dict(key='optim_wrapper.optimizer.type',
                         value='SGD',
                         source=_asn + ', the baselines\' G recipe'),
        g_lr=dict(key='optim_wrapper.optimizer.lr',
                  value=2.5e-4,
                  source=_asn),
        g_weight_decay=dict(key='optim_wrapper.optimizer.weight_decay',
                            value=5e-4,
                            source=_asn),
        poly_horizon=dict(key='param_scheduler[0].end',
                          value=250001,
                          source=_asn + ': NUM_STEPS 250000'),
        max_iters=dict(key='train_cfg.max_iters',
                       value=120000,
                       source='decision: the stop of the adversarial '
                       'baselines (no source-only script is public)'),
        batch=dict(key='train_dataloader.batch_size',
                   value=1,
                   source=_asn + ': BATCH_SIZE 1'),
        source_size=dict(key='train_dataloader.dataset.pipeline'
                         '[type=Resize].scale',
                         value=(1280, 760),
                         source='official code (liyunsheng13/BDL: data/__init__.py, SYNTHIA 1280x760)'),
        init=dict(key='model.backbone.init_cfg.checkpoint',
                  value='pretrain/deeplabv2_init-imagenet-coco.pth',
                  source='decision: the AdaptSegNet init (ImageNet + COCO), as the adapted rows it is compared with; fallback: the zoo caffe R101'),
        levels=dict(key='model.auxiliary_head.loss_decode.loss_weight',
                    value=0.1,
                    source='decision: the multi-level network of the '
                    'AdaptSegNet rows (LAMBDA_SEG 0.1)'),
        eval_size=dict(key='test_dataloader.dataset.pipeline'
                       '[type=Resize].scale',
                       value=(1024, 512),
                       source='official code (wasidennis/AdaptSegNet: '
                       'evaluate_cityscapes.py)'),
    ))
del _asn
