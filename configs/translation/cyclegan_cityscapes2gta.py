# LDR step 1 (SPEC 4.3, paper Sec. 3.2): CycleGAN translating Cityscapes
# (target, domain A) to the GTA5 style (source, domain B); generators.a
# (G_A) is the target -> source translator F, generators.b its inverse.
# Optimisation as the LDR paper states it (Sec. 4.3): Adam, lr 1e-4 halved
# every 100,000 iterations, betas (0.5, 0.999), weight decay 1e-4, 1000k
# iterations, batch 1. Networks and losses are CycleGAN's (the paper points
# to its supplementary): ResNet generators with 9 blocks, 70x70 PatchGAN,
# LSGAN, cycle 10, identity 0.5 x cycle, image pools of 50.
# Decisions (paper silent): BDL's data settings (liyunsheng13/BDL cyclegan
# readme: images scaled to width 1024, random 452x452 crops, flips); no
# semantic-consistency loss (BDL's second translation round).
# BDL's own recipe (Adam 2e-4, 10 + 10 epochs with a linear decay, batch 4):
# ./cyclegan_cityscapes2gta_bdl-recipe.py.
# Commands:
#   python tools/train_translation.py \
#       configs/translation/cyclegan_cityscapes2gta.py
#   python tools/translate_images.py \
#       configs/translation/cyclegan_cityscapes2gta.py \
#       work_dirs/cyclegan_cityscapes2gta/iter_1000000.pth \
#       --src data/cityscapes/leftImg8bit \
#       --out data/cityscapes_t2s_gta5/leftImg8bit
# The LDR configs (../ldr/*_gta2city.py) train on data/cityscapes_t2s_gta5/
# leftImg8bit/train and, as the paper segments translated target images
# (Fig. 1), evaluate on data/cityscapes_t2s_gta5/leftImg8bit/val with the
# labels of data/cityscapes/gtFine/val: translate both splits (the command
# above does).
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/models/cyclegan_resnet9.py',
    '../_base_/schedules/schedule_no_val.py',
]

source_root = 'data/gta/'
target_root = 'data/cityscapes/'
batch_size = 1
max_iters = 1000000
lr_step = 100000
crop_size = (452, 452)

# ~250 MB of pooled 452x452 crops per checkpoint, for an exact resume
model = dict(pool_in_checkpoint=True)
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
            optimizer=dict(type='Adam',
                           lr=1e-4,
                           betas=(0.5, 0.999),
                           weight_decay=1e-4))
# CycleGAN's two optimizers: both generators, both discriminators
optim_wrapper = dict(constructor='UDAOptimWrapperConstructor',
                     generators=adam,
                     discriminators=adam)
halve_every_100k = [
    dict(type='StepLR', step_size=lr_step, gamma=0.5, by_epoch=False)
]
param_scheduler = dict(generators=halve_every_100k,
                       discriminators=halve_every_100k)
train_cfg = dict(max_iters=max_iters)
# No validation: translations have no labels to be scored against.
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
default_hooks = dict(logger=dict(interval=100))

_ldr = 'paper (LDR, Sec. 4.3)'
_bdl = 'official code (liyunsheng13/BDL: cyclegan/readme.md)'
_cg = 'official code (junyanz/pytorch-CycleGAN-and-pix2pix: options)'
recipe_card = dict(
    paper='LDR (Yang et al., ECCV 2020)',
    row='target-to-source translation F (Sec. 3.2), Cityscapes -> GTA5',
    task='Cityscapes -> GTA5 style',
    paper_miou=None,
    metric='-',
    command='python tools/train_translation.py {config}',
    values=dict(
        g_lr=dict(key='optim_wrapper.generators.optimizer.lr',
                  value=1e-4,
                  source=_ldr + ': Adam, initial lr 1e-4'),
        d_lr=dict(key='optim_wrapper.discriminators.optimizer.lr',
                  value=1e-4,
                  source=_ldr),
        betas=dict(key='optim_wrapper.generators.optimizer.betas',
                   value=(0.5, 0.999),
                   source=_ldr + ': momentum {0.5, 0.999}'),
        weight_decay=dict(key='optim_wrapper.generators.optimizer.'
                          'weight_decay',
                          value=1e-4,
                          source=_ldr + ': weight decay 1e-4'),
        lr_halving=dict(key='param_scheduler.generators[0]',
                        value=dict(type='StepLR',
                                   step_size=100000,
                                   gamma=0.5,
                                   by_epoch=False),
                        source=_ldr + ': halved every 100,000 iterations'),
        max_iters=dict(key='train_cfg.max_iters',
                       value=1000000,
                       source=_ldr + ': 1000k iterations'),
        batch=dict(key='train_dataloader.batch_size',
                   value=1,
                   source=_ldr + ': batch 1 for all models'),
        crop=dict(key='crop_size',
                  value=(452, 452),
                  source=_bdl + ': fineSize 452 (LDR is silent)'),
        gan_mode=dict(key='model.gan_mode',
                      value='lsgan',
                      source=_cg + ': gan_mode lsgan'),
        cycle_weight=dict(key='model.cycle_weight',
                          value=10.0,
                          source=_cg + ': lambda_A / lambda_B 10'),
        identity_weight=dict(key='model.identity_weight',
                             value=0.5,
                             source=_cg + ': lambda_identity 0.5'),
    ))
del _ldr, _bdl, _cg
