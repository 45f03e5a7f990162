# DACS (Tranheden et al., WACV 2021), DeepLab-v2 ResNet-101, GTA5 ->
# Cityscapes: ClassMix self-training with an EMA teacher
# (../_base_/uda/dacs.py) on the AdaptSegNet lineage's network, single
# level (one 4-branch DeepLab-v2 classifier on res5, no auxiliary head),
# from the ImageNet + MS-COCO DeepLab init; SGD 2.5e-4 (heads 10x), poly
# 0.9 over 250k iterations, batch 2 + 2 crops of 512 x 512.
_base_ = [
    '../_base_/models/deeplabv2_r101-caffe.py',
    '../_base_/datasets/uda_gta5_to_cityscapes.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_uda_250k_poly.py',
    '../_base_/uda/dacs.py',
]
data_preprocessor = dict(size=_base_.dacs_crop_size)
model = dict(_delete_=True,
             type='UDASegmentor',
             segmentor=_base_.model,
             teacher=_base_.dacs_teacher,
             aligners=dict(class_mix=_base_.dacs_class_mix))
model['segmentor']['auxiliary_head'] = None
model_wrapper_cfg = dict(type='UDADistributedDataParallel')
train_dataloader = dict(
    batch_size=2,
    dataset=dict(source=dict(pipeline=_base_.dacs_gta5_pipeline),
                 target=dict(pipeline=_base_.dacs_cityscapes_pipeline)))
optim_wrapper = {
    '_delete_': True,
    'constructor': 'UDAOptimWrapperConstructor',
    'segmentor': {{_base_.optim_wrapper}},
}
param_scheduler = {
    '_delete_': True,
    'segmentor': {{_base_.param_scheduler}},
}
train_cfg = dict(max_iters=250000)
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

_notes = 'paper (DACS, as summarised in ../shared/notes/modern-self-training.md)'
recipe_card = dict(
    paper='DACS (Tranheden et al., WACV 2021)',
    row='Table 1, DeepLab-v2 ResNet-101',
    task='GTA5 -> Cityscapes',
    paper_miou=52.1,
    metric='mIoU',
    values=dict(
        _base_.dacs_card_values,
        g_lr=dict(key='optim_wrapper.segmentor.optimizer.lr',
                  value=2.5e-4,
                  source=_notes),
        g_momentum=dict(key='optim_wrapper.segmentor.optimizer.momentum',
                        value=0.9,
                        source='decision: the DeepLab-v2 UDA baselines\' '
                        'SGD (AdaptSegNet lineage)'),
        g_weight_decay=dict(
            key='optim_wrapper.segmentor.optimizer.weight_decay',
            value=5e-4,
            source='decision: the DeepLab-v2 UDA baselines\' SGD'),
        poly_horizon=dict(key='param_scheduler.segmentor[0].end',
                          value=250001,
                          source='decision: poly 0.9 over the 250k '
                          'iterations trained (AdaptSegNet lineage)'),
        max_iters=dict(key='train_cfg.max_iters',
                       value=250000,
                       source='decision: 250k, the DeepLab-v2 baselines\' '
                       'horizon run to its end'),
        source_size=dict(
            key='train_dataloader.dataset.source.pipeline[type=Resize].scale',
            value=(1280, 720),
            source=_notes + ': resized source, then cropped'),
        target_size=dict(
            key='train_dataloader.dataset.target.pipeline[type=Resize].scale',
            value=(1024, 512),
            source=_notes),
        classifier=dict(key='model.segmentor.decode_head.dilations',
                        value=(6, 12, 18, 24),
                        source='decision: the published 4-branch '
                        'DeepLab-v2 classifier, single level'),
        aux_head=dict(key='model.segmentor.auxiliary_head',
                      value=None,
                      source='decision: single level (one classifier)'),
        init=dict(key='model.segmentor.backbone.init_cfg.checkpoint',
                  value='pretrain/deeplabv2_init-imagenet-coco.pth',
                  source='paper (DACS: DeepLab-v2 pretrained on ImageNet '
                  'and MS-COCO, as AdaptSegNet); fallback: the zoo caffe '
                  'R101, ImageNet only'),
        eval_size=dict(key='test_dataloader.dataset.pipeline[type=Resize]'
                       '.scale',
                       value=(1024, 512),
                       source='decision: the UDA protocol of the '
                       'DeepLab-v2 baselines (1024 x 512 input, logits '
                       'upsampled to the 2048 x 1024 labels)'),
        model_selection=dict(key='default_hooks.checkpoint.save_best',
                             value=None,
                             source='decision: report the last checkpoint '
                             '(no target-val selection)'),
    ))
del _notes
