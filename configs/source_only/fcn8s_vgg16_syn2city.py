# Source-only FCN-8s VGG-16, SYNTHIA -> Cityscapes (19-way head; mIoU16 and
# mIoU13 from the same confusion matrix).
_base_ = [
    '../_base_/models/fcn8s_vgg16.py',
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
    paper='(lower bound; no paper reports this row)',
    row='source only, V',
    task='SYNTHIA -> Cityscapes',
    paper_miou=None,
    metric='mIoU16',
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
                  value='open-mmlab://vgg16_caffe',
                  source='decision: the MMCV zoo caffe VGG-16 (ImageNet)'),
        network=dict(key='model.decode_head.type',
                     value='FCN8sHead',
                     source='paper (LDR, Sec. 4.2): FCN-VGG16'),
        eval_size=dict(key='test_dataloader.dataset.pipeline'
                       '[type=Resize].scale',
                       value=(1024, 512),
                       source='official code (wasidennis/AdaptSegNet: '
                       'evaluate_cityscapes.py)'),
    ))
del _asn
