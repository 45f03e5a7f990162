# LDR step 1 (SPEC 4.3, paper Sec. 3.2): CycleGAN translating Cityscapes
# (target, domain A) to the GTA5 style (source, domain B); generators.a
# (G_A) is the target -> source translator F, generators.b its inverse.
# Recipe: CycleGAN's (ResNet generators with 9 blocks, 70x70 PatchGAN, LSGAN,
# cycle 10, identity 0.5 x cycle, image pools of 50, Adam 2e-4 betas
# (0.5, 0.999), lr constant then linearly to 0) with BDL's data settings
# (liyunsheng13/BDL cyclegan readme: scale_width_and_crop, loadSize 1024,
# fineSize 452, 10 + 10 epochs, batch 4).
# Decisions (paper silent):
#   * batch 4 on one GPU (BDL: 1 per GPU on 4 GPUs; instance norm makes
#     both the same computation); multi-GPU is not supported, see
#     tools/train_translation.py;
#   * an epoch is one pass over GTA5 (the larger set, 24966 images, as
#     CycleGAN's unaligned loader): 6242 iterations at batch 4, so 10 + 10
#     epochs = 62420 iterations at the base lr, then 62420 decaying to 0
#     (CycleGAN decays per epoch to 1/11; here per iteration to 0);
#   * no semantic-consistency loss (BDL's second translation round).
# Commands:
#   python tools/train_translation.py \
#       configs/translation/cyclegan_cityscapes2gta.py
#   python tools/translate_images.py \
#       configs/translation/cyclegan_cityscapes2gta.py \
#       work_dirs/cyclegan_cityscapes2gta/iter_124840.pth \
#       --src data/cityscapes/leftImg8bit \
#       --out data/cityscapes_t2s_gta5/leftImg8bit
# The LDR configs (../ldr/*_gta2city.py) read data/cityscapes_t2s_gta5/
# leftImg8bit/train; labels are not needed there (the target is unlabelled
# in training, validation reads the original data/cityscapes/).
_base_ = ['../_base_/default_runtime.py']

source_root = 'data/gta/'
target_root = 'data/cityscapes/'
batch_size = 4
iters_per_epoch = 6242  # ceil(24966 / 4)
decay_begin = 10 * iters_per_epoch
max_iters = 20 * iters_per_epoch
crop_size = (452, 452)

model = dict(
    type='CycleGAN',
    domain_a='target',
    domain_b='source',
    generator=dict(type='ResnetGenerator',
                   base_channels=64,
                   num_blocks=9,
                   norm_cfg=dict(type='IN')),
    # CycleGAN's 70x70 PatchGAN: 3 stride-2 layers, padding 1
    discriminator=dict(type='PatchDiscriminator',
                       base_channels=64,
                       num_layers=3,
                       padding=1,
                       norm_cfg=dict(type='IN')),
    gan_mode='lsgan',
    cycle_weight=10.0,
    identity_weight=0.5,
    pool_size=50,
    # ~250 MB of pooled 452x452 crops per checkpoint, for an exact resume
    pool_in_checkpoint=True)
# Defaults of tools/translate_images.py: G_A run at the LDR training size
# of Cityscapes (1024x512), output resized back to the input resolution so
# that the translated set replaces the original one file for file.
translate_cfg = dict(direction='a', size=(1024, 512))

# Images only. Resize with keep_ratio to (1024, 1024) scales landscape
# images to width 1024 (GTA5 1914x1052 -> 1024x563, Cityscapes 2048x1024 ->
# 1024x512): BDL's scale_width; then a random 452x452 crop and a flip.
translation_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(1024, 1024), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs'),
]
source_dataset = dict(type='GTA5Dataset',
                      data_root=source_root,
                      data_prefix=dict(img_path='images'),
                      pipeline=translation_pipeline)
target_dataset = dict(type='CityscapesDataset',
                      data_root=target_root,
                      data_prefix=dict(img_path='leftImg8bit/train'),
                      pipeline=translation_pipeline)
train_dataloader = dict(batch_size=batch_size,
                        num_workers=4,
                        persistent_workers=True,
                        sampler=dict(type='UDAInfiniteSampler', shuffle=True),
                        dataset=dict(type='UDADataset',
                                     source=source_dataset,
                                     target=target_dataset,
                                     seed=0))

adam = dict(type='OptimWrapper',
            optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999)))
# CycleGAN's two optimizers: both generators, both discriminators
optim_wrapper = dict(constructor='UDAOptimWrapperConstructor',
                     generators=adam,
                     discriminators=adam)
linear_decay = [
    dict(type='LinearLR',
         start_factor=1.0,
         end_factor=0.0,
         begin=decay_begin,
         end=max_iters,
         by_epoch=False)
]
param_scheduler = dict(generators=linear_decay, discriminators=linear_decay)
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters)
# No validation: translations have no labels to be scored against.
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
default_hooks = dict(timer=dict(type='IterTimerHook'),
                     logger=dict(type='LoggerHook',
                                 interval=100,
                                 log_metric_by_epoch=False),
                     param_scheduler=dict(type='ParamSchedulerHook'),
                     checkpoint=dict(type='AtomicCheckpointHook',
                                     by_epoch=False,
                                     interval=iters_per_epoch,
                                     max_keep_ckpts=2),
                     sampler_seed=dict(type='DistSamplerSeedHook'),
                     # NaN / inf loss: stop before a checkpoint is written
                     non_finite=dict(type='NonFiniteLossHook'),
                     rng_state=dict(type='RNGStateHook'))
