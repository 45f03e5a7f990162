# Demo, LDR step 1: CycleGAN target -> source translation on the synthetic
# benchmark (SPEC 4.3), the recipe of ../translation/cyclegan_cityscapes2gta.py
# at CPU size:
#   generators: 16 base channels, 3 residual blocks (real: 64, 9; the
#   narrowing of the LDR demo's M);
#   discriminators: 70x70 PatchGAN with 16 base channels (real: 64);
#   96x96 random crops of the benchmark's images (source resized to the
#   target's width, 256), 300 iterations, lr constant for 150 then linearly
#   to 0 (real: 10 + 10 epochs). Losses, weights, pools, Adam as the real
#   run. The translation runs at the images' full 256x128 (the networks are
#   fully convolutional).
# Pipeline (commands in order):
#   python tools/generate_synthetic_shift.py data/synthetic_shift
#   python tools/train_translation.py configs/demo/translation_synthetic.py
#   python tools/translate_images.py configs/demo/translation_synthetic.py \
#       work_dirs/translation_synthetic/iter_300.pth \
#       --src data/synthetic_shift/target/leftImg8bit \
#       --out data/synthetic_shift/target_t2s/leftImg8bit
#   then ./ldr_pretrain_m_synthetic.py and ./ldr_synthetic.py (which reads
#   data/synthetic_shift/target_t2s/leftImg8bit/train).
_base_ = [
    '../_base_/datasets/synthetic_shift.py',
    '../_base_/default_runtime.py',
    '../_base_/models/cyclegan_resnet9.py',
    '../_base_/schedules/schedule_no_val.py',
]
max_iters = 300
decay_begin = 150
crop_size = (96, 96)
randomness = dict(seed=0)

# the demo's widths: 16 base channels, 3 residual blocks
model = dict(generator=dict(base_channels=16, num_blocks=3),
             discriminator=dict(base_channels=16))
# Defaults of tools/translate_images.py: G_A at the input resolution.
translate_cfg = dict(direction='a', size=None)

# Images only (labels are not needed to translate); both domains at the
# target's width, random crop + flip as CycleGAN.
translation_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(256, 256), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='UDAInfiniteSampler', shuffle=True),
    dataset=dict(_delete_=True,
                 type='UDADataset',
                 source=dict(type='GTA5Dataset',
                             data_root='data/synthetic_shift/source',
                             data_prefix=dict(img_path='images'),
                             pipeline=translation_pipeline),
                 target=dict(type='CityscapesDataset',
                             data_root='data/synthetic_shift/target',
                             data_prefix=dict(img_path='leftImg8bit/train'),
                             pipeline=translation_pipeline),
                 seed=0))

adam = dict(type='OptimWrapper',
            optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999)))
optim_wrapper = dict(constructor='UDAOptimWrapperConstructor',
                     generators=adam,
                     discriminators=adam)
# lr constant, then linearly to 0 at the stop point
linear_decay = [
    dict(type='LinearLR',
         start_factor=1.0,
         end_factor=0.0,
         begin=decay_begin,
         end=max_iters,
         by_epoch=False)
]
param_scheduler = dict(generators=linear_decay, discriminators=linear_decay)
train_cfg = dict(max_iters=max_iters)
# No validation: a translation has no labels to be scored against.
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
default_hooks = dict(checkpoint=dict(interval=max_iters,
                                     max_keep_ckpts=1))
