# Source-only DeepLab-v2 ResNet-101 (multi-level), trained on GTA5 (1280x720)
# and evaluated on Cityscapes val (1024x512 input, 2048x1024 labels).
# The lower bound every UDA method in this repository is compared with.
_base_ = [
    '../_base_/models/deeplabv2_r101-caffe.py',
    '../_base_/datasets/gta5.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_uda_250k_poly.py',
]
# No crop and no padding: every image of a batch has the training size.
model = dict(data_preprocessor=dict(size_divisor=1))
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

_asn = 'official code (wasidennis/AdaptSegNet: train_gta2cityscapes_multi.py)'
recipe_card = dict(
    paper='LDR (Yang et al., ECCV 2020) / AdaptSegNet',
    row='Table 1, source only, R',
    task='GTA5 -> Cityscapes',
    paper_miou=36.6,
    metric='mIoU',
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
                         value=(1280, 720),
                         source='official code (wasidennis/AdaptSegNet: INPUT_SIZE)'),
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
