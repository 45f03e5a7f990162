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

_base_ = ['../models/ldr_m.py']
# M pretrained by configs/ldr/pretrain_m_gta5.py.
m_checkpoint = 'work_dirs/pretrain_m_gta5/iter_100000.pth'

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
    reconstructor=dict(_base_.m_reconstructor,
                       init_cfg=dict(type='Pretrained',
                                     checkpoint=m_checkpoint,
                                     prefix='reconstructor.')),
    discriminator=_base_.m_discriminator,
    perceptual_loss=_base_.vgg19_perceptual_loss,
    feature_matching_loss=dict(type='FeatureMatchingLoss'))
ldr_optim_wrapper = dict(type='OptimWrapper',
                         optimizer=dict(type='Adam',
                                        lr=2e-4,
                                        betas=(0.5, 0.999)))

# LDR segments the translated target images, at test time too (paper
# Fig. 1: "we first make target-to-source translation ... and then perform
# segmentation on these translated images"; Fig. 3): a leaf reads Cityscapes
# val from the translation's folder, labels from the original gtFine, by
#   val_dataloader = dict(dataset=dict(data_prefix=dict(
#       img_path=<folder relative to data/cityscapes/>)))
#   test_dataloader = val_dataloader
translated_val_gta5 = '../cityscapes_t2s_gta5/leftImg8bit/val'
translated_val_synthia = '../cityscapes_t2s_synthia/leftImg8bit/val'

# Recipe-card values shared by the LDR configs (tools/recipe_card.py).
_ldr = 'paper (LDR, Sec. 4.3)'
_rec = 'model.aligners.ldr.'
ldr_card_values = dict(
    adv_weight_alpha=dict(key=_rec + 'adv_weight',
                          value=1e-3,
                          source=_ldr + ': alpha 0.001 for DeepLab-ResNet101'),
    rec_weight_beta=dict(key=_rec + 'rec_weight',
                         value=10.0,
                         source=_ldr + ': beta 10'),
    temperature=dict(key=_rec + 'temperature',
                     value=1e-3,
                     source='paper (LDR, Table 4): tau 0.001 in all '
                     'experiments'),
    input_space=dict(key=_rec + 'input_space',
                     value='label',
                     source='paper (LDR, Table 5): label space'),
    m_init=dict(key=_rec + 'reconstructor.init_cfg.checkpoint',
                value='work_dirs/pretrain_m_gta5/iter_100000.pth',
                source=_ldr + ': M first pre-trained on source labels'),
    m_lr=dict(key="optim_wrapper['ldr.reconstructor'].optimizer.lr",
              value=2e-4,
              source='decision: pix2pixHD / CycleGAN Adam 2e-4, (0.5, '
              '0.999) (the paper gives it for the pretraining only)'),
    rec_scale=dict(key=_rec + 'rec_scale',
                   value=0.5,
                   source='decision: reconstruction at half the input size '
                   'to fit one 12 GB GPU'),
    target_images=dict(key='train_dataloader.dataset.target.data_root',
                       value='data/cityscapes_t2s_gta5/',
                       source='paper (LDR, Sec. 3.2): target images '
                       'translated to the source style'),
    eval_images=dict(key='test_dataloader.dataset.data_prefix.img_path',
                     value=translated_val_gta5,
                     source='paper (LDR, Fig. 1 / 3): segmentation of the '
                     'translated target images'),
)
del _ldr, _rec
