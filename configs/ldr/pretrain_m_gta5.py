# Pretraining of LDR's reconstruction net M on GTA5 labels (paper Sec. 4.3:
# "M is first pre-trained by reconstructing source images from the
# corresponding labels", Adam 2e-4, betas (0.5, 0.999), lr linearly to 0).
# Objective: the one M is trained with in the adaptation (conditional GAN,
# 3 PatchGANs, VGG-19 perceptual L1 + D feature matching, see
# mmseg_uda/models/reconstruction/label_to_image.py) with weights 1 / 10
# (pix2pixHD's balance). Decisions (paper silent): 100k iterations, batch
# 1, images at the adaptation's reconstruction size (half of 1280x720).
# The result loads into the LDR aligner by
#   reconstructor=dict(..., init_cfg=dict(type='Pretrained',
#       checkpoint='work_dirs/pretrain_m_gta5/iter_100000.pth',
#       prefix='reconstructor.'))
# (configs/ldr/deeplabv2_gta2city.py). No validation: M has no labels to
# be scored against; look at its reconstructions with forward(mode='tensor').
_base_ = [
    '../_base_/datasets/gta5.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_no_val.py',
    '../_base_/models/ldr_m.py',
]
max_iters = 100000
model = dict(type='LabelToImage',
             num_classes=19,
             adv_weight=1.0,
             rec_weight=10.0,
             gan_mode='bce',
             rec_scale=0.5,
             reconstructor=_base_.m_reconstructor,
             discriminator=_base_.m_discriminator,
             perceptual_loss=_base_.vgg19_perceptual_loss,
             feature_matching_loss=dict(type='FeatureMatchingLoss'))
# Several GPUs: M and D in their own DDP (the model has two optimizers).
model_wrapper_cfg = dict(type='MMSeparateDistributedDataParallel')
train_dataloader = dict(batch_size=1)
gan_optim_wrapper = dict(type='OptimWrapper',
                         optimizer=dict(type='Adam',
                                        lr=2e-4,
                                        betas=(0.5, 0.999)))
optim_wrapper = dict(constructor='UDAOptimWrapperConstructor',
                     reconstructor=gan_optim_wrapper,
                     discriminator=gan_optim_wrapper)
linear_to_zero = [
    dict(type='LinearLR',
         start_factor=1.0,
         end_factor=0.0,
         begin=0,
         end=max_iters,
         by_epoch=False)
]
param_scheduler = dict(reconstructor=linear_to_zero,
                       discriminator=linear_to_zero)
train_cfg = dict(max_iters=max_iters)
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None

_ldr = 'paper (LDR, Sec. 4.3)'
recipe_card = dict(
    paper='LDR (Yang et al., ECCV 2020)',
    row='reconstruction network M pretrained on source labels (Sec. 4.3)',
    task='GTA5 labels -> GTA5 images',
    paper_miou=None,
    metric='-',
    values=dict(
        m_lr=dict(key='optim_wrapper.reconstructor.optimizer.lr',
                  value=2e-4,
                  source=_ldr + ': Adam 2e-4'),
        m_betas=dict(key='optim_wrapper.reconstructor.optimizer.betas',
                     value=(0.5, 0.999),
                     source=_ldr + ': momentum {0.5, 0.999}'),
        d_lr=dict(key='optim_wrapper.discriminator.optimizer.lr',
                  value=2e-4,
                  source='decision: the D_k as M (pix2pixHD)'),
        schedule=dict(key='param_scheduler.reconstructor[0].end_factor',
                      value=0.0,
                      source=_ldr + ': lr linearly decreased to zero'),
        max_iters=dict(key='train_cfg.max_iters',
                       value=100000,
                       source='decision: 100k (paper silent)'),
        batch=dict(key='train_dataloader.batch_size',
                   value=1,
                   source=_ldr + ': batch 1 for all models'),
        rec_weight=dict(key='model.rec_weight',
                        value=10.0,
                        source='decision: pix2pixHD\'s balance (1 / 10), '
                        'beta 10 as the adaptation'),
        rec_scale=dict(key='model.rec_scale',
                       value=0.5,
                       source='decision: the adaptation\'s reconstruction '
                       'size'),
    ))
del _ldr
