# Label-driven reconstruction parts (SPEC 4.3) shared by the full-size LDR
# configs. Give it as a _base_ next to a method config; the leaf then adds
#   model = dict(aligners=dict(ldr={{_base_.ldr_aligner}}))
# (or `dict(_base_.ldr_aligner, adv_weight=...)` to change a field), the
# `ldr.reconstructor` / `ldr.discriminator` optimizer wrappers
# (`ldr_optim_wrapper`) and their schedules. This file cannot hold `model`
# itself: `model` belongs to the method config.
# Decisions (the paper is silent): M and the D_k train with Adam 2e-4,
# betas (0.5, 0.999) (pix2pixHD/CycleGAN); the reconstruction runs at half
# the input size (640x360 / 512x256) to fit one GPU; the D_k are PatchGANs
# with instance norm (64 base channels).

# M pretrained by configs/ldr/pretrain_m_gta5.py.
m_checkpoint = 'work_dirs/pretrain_m_gta5/iter_100000.pth'
# torchvision's ImageNet VGG-19 (parameter names match our VGG).
vgg19_checkpoint = 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth'

ldr_aligner = dict(
    type='LabelReconstruction',
    num_classes=19,
    level='main',
    domains=('source', 'target'),
    temperature=1e-3,
    input_space='label',
    adv_weight=1e-3,
    rec_weight=10.0,
    gan_mode='bce',
    rec_scale=0.5,
    # G's data_preprocessor (Caffe ResNet: BGR, mean, std 1)
    input_norm=dict(mean=[103.53, 116.28, 123.675],
                    std=[1.0, 1.0, 1.0],
                    bgr_to_rgb=False),
    reconstructor=dict(type='ResnetGenerator',
                       base_channels=64,
                       num_blocks=9,
                       norm_cfg=dict(type='IN'),
                       init_cfg=dict(type='Pretrained',
                                     checkpoint=m_checkpoint,
                                     prefix='reconstructor.')),
    discriminator=dict(type='MultiScalePatchDiscriminator',
                       num_scales=3,
                       discriminator=dict(type='PatchDiscriminator',
                                          base_channels=64,
                                          num_layers=3,
                                          norm_cfg=dict(type='IN'))),
    perceptual_loss=dict(type='PerceptualLoss',
                         vgg=dict(type='VGG',
                                  depth=19,
                                  init_cfg=dict(type='Pretrained',
                                                checkpoint=vgg19_checkpoint))),
    feature_matching_loss=dict(type='FeatureMatchingLoss'))
ldr_optim_wrapper = dict(type='OptimWrapper',
                         optimizer=dict(type='Adam',
                                        lr=2e-4,
                                        betas=(0.5, 0.999)))
