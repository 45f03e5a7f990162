# DAFormer (Hoyer et al., CVPR 2022), MiT-B5 + DAFormer decoder, GTA5 ->
# Cityscapes: DACS-style ClassMix self-training (../_base_/uda/dacs.py) with
# DAFormer's teacher alpha 0.999, rare class sampling, thing-class ImageNet
# feature distance, AdamW with warm-up (../_base_/uda/daformer.py).
_base_ = [
    '../_base_/models/daformer_mit-b5.py',
    '../_base_/datasets/uda_gta5_to_cityscapes.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_uda_250k_poly.py',
    '../_base_/uda/dacs.py',
    '../_base_/uda/daformer.py',
]
data_preprocessor = dict(size=_base_.dacs_crop_size)
model = dict(_delete_=True,
             type='UDASegmentor',
             segmentor=_base_.model,
             teacher=_base_.daformer_teacher,
             aligners=dict(class_mix=_base_.dacs_class_mix,
                           fd=_base_.daformer_fd))
model_wrapper_cfg = dict(type='UDADistributedDataParallel')
train_dataloader = dict(
    batch_size=2,
    dataset=dict(source=dict(pipeline=_base_.dacs_gta5_pipeline),
                 target=dict(pipeline=_base_.dacs_cityscapes_pipeline),
                 source_sampling=_base_.daformer_rcs_gta5))
optim_wrapper = {
    '_delete_': True,
    'constructor': 'UDAOptimWrapperConstructor',
    'segmentor': _base_.daformer_optim_wrapper,
}
param_scheduler = {
    '_delete_': True,
    'segmentor': _base_.daformer_scheduler,
}
train_cfg = dict(max_iters=_base_.daformer_iters, val_interval=4000)
default_hooks = dict(checkpoint=dict(interval=4000))
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

recipe_card = dict(
    paper='DAFormer (Hoyer et al., CVPR 2022)',
    row='Table 1 / 8, DAFormer (MiT-B5)',
    task='GTA5 -> Cityscapes',
    paper_miou=68.3,
    metric='mIoU',
    values=dict(
        _base_.dacs_card_values,
        # DAFormer's values win over DACS's (teacher alpha 0.999)
        **_base_.daformer_card_values,
        source_size=dict(
            key='train_dataloader.dataset.source.pipeline[type=Resize].scale',
            value=(1280, 720),
            source='decision: GTA5 at half resolution, then cropped (as '
            'the DeepLab-v2 configs resize it)'),
        target_size=dict(
            key='train_dataloader.dataset.target.pipeline[type=Resize].scale',
            value=(1024, 512),
            source='decision: Cityscapes at half resolution, then cropped'),
        eval_size=dict(key='test_dataloader.dataset.pipeline[type=Resize]'
                       '.scale',
                       value=(1024, 512),
                       source='decision: half-resolution input, logits '
                       'upsampled to the 2048 x 1024 labels'),
        model_selection=dict(key='default_hooks.checkpoint.save_best',
                             value=None,
                             source='decision: report the last checkpoint '
                             '(no target-val selection)'),
    ))
