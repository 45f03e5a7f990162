# Demo: DACS (ClassMix self-training with an EMA teacher) on the synthetic
# benchmark: the source-only demo network and schedule, plus
#   * an EMA teacher of G (alpha 0.99) that labels every target batch,
#   * ClassMixSelfTraining: half of each source image's classes pasted onto
#     a target image, trained against the source labels there and the
#     teacher's labels elsewhere, weighted by the teacher's confidence
#     share (tau 0.968), after colour jitter / blur.
# Mixing needs equal image sizes: source images are randomly cropped to
# the target size (128 x 256), as DACS crops both domains to 512 x 512.
# The real recipe: ../dacs/deeplabv2_gta2city.py.
_base_ = ['./source_only_synthetic.py']

crop_size = (128, 256)
source_crop_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='Resize', scale=_base_.source_scale, keep_ratio=False),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='PackSegInputs'),
]
model = dict(
    _delete_=True,
    type='UDASegmentor',
    segmentor={{_base_.model}},
    teacher=dict(alpha=0.99),
    aligners=dict(class_mix=dict(type='ClassMixSelfTraining',
                                 weight=1.0,
                                 threshold=0.968,
                                 augment=dict(),
                                 levels=dict(main=1.0))))
model_wrapper_cfg = dict(type='UDADistributedDataParallel')
train_dataloader = dict(
    sampler=dict(type='UDAInfiniteSampler', shuffle=True),
    dataset=dict(_delete_=True,
                 type='UDADataset',
                 source=dict(_base_.source_train_dataset,
                             pipeline=source_crop_pipeline),
                 target={{_base_.target_train_dataset}},
                 seed=0))
optim_wrapper = {
    '_delete_': True,
    'constructor': 'UDAOptimWrapperConstructor',
    'segmentor': {{_base_.optim_wrapper}},
}
param_scheduler = {
    '_delete_': True,
    'segmentor': {{_base_.param_scheduler}},
}
