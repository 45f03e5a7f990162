# Source-only DeepLab-v2 head on MMSeg's ResNetV1c-101 (deep stem, PyTorch
# style, ImageNet weights from the MMSeg model zoo), GTA5 -> Cityscapes.
_base_ = [
    '../_base_/models/deeplabv2_r101-v1c.py',
    '../_base_/datasets/gta5.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_uda_250k_poly.py',
]
model = dict(data_preprocessor=dict(size_divisor=1))
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

_asn = 'official code (wasidennis/AdaptSegNet: train_gta2cityscapes_multi.py)'
recipe_card = dict(
    paper='(MMSeg backbone variant; no paper row)',
    row='source only, ResNetV1c-101',
    task='GTA5 -> Cityscapes',
    paper_miou=None,
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
                  value='open-mmlab://resnet101_v1c',
                  source='decision: the MMSeg zoo ResNetV1c-101 (a variant with MMSeg weights, not a paper row)'),
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
