# Label-driven reconstruction (LDR, SPEC 4.3), DeepLab-v2 ResNet-101,
# GTA5 -> Cityscapes. Pipeline (README):
#   1. target->source CycleGAN, translated Cityscapes train images written
#      to `target_t2s_root` in the Cityscapes layout;
#   2. M pretrained on GTA5 labels: configs/ldr/pretrain_m_gta5.py;
#   3. this config: G on GTA5 + translated Cityscapes with
#      Eq. (6) = seg CE + L_seg(G(X_t->s), Y_t^ssl) + lambda *
#      output-space adversarial (one D on the main softmax, lambda 1e-3,
#      paper Eq. (1)) + alpha * L_adv^phi + beta * L_rec^phi for phi in
#      {source, translated target} (alpha 1e-3, beta 10, T 1e-3),
#      in one run of two steps (../_base_/uda/pseudo_label_self_training.py):
#      step 1 "adapt" (80k) trains Eq. (6) without the pseudo-label term;
#      at the boundary its model labels the TRANSLATED target images
#      X_t->s (Y_t^ssl, "derived from [28]" = BDL's median thresholds,
#      cap 0.9); step 2 "self_training" (120k) trains the whole Eq. (6),
#      PseudoLabelCE (weight 1, main output) included, from the initial
#      weights (G, M back to its pretrained weights, fresh D and D_k).
#      Decision (the paper does not say which model labels the images):
#      each config labels with its own step 1, as BDL does; for labels of
#      a plain adversarial model set ldr=dict(active=False) in the "adapt"
#      stage, for labels from a folder see the comment at the end of the
#      base file.
# Decisions (the paper is silent): M and the D_k train with Adam 2e-4,
# betas (0.5, 0.999) (pix2pixHD/CycleGAN) and the poly decay of G; the
# reconstruction runs at half the input size (640x360 / 512x256) to fit
# one GPU; the D_k are PatchGANs with instance norm (64 base channels).
_base_ = [
    '../adaptsegnet/deeplabv2_gta2city.py',
    '../_base_/uda/pseudo_label_self_training.py',
]

# Translated target images (CycleGAN target->source), same layout as
# data/cityscapes/ (leftImg8bit/train/<city>/*_leftImg8bit.png).
target_t2s_root = 'data/cityscapes_t2s_gta5/'
# M pretrained by configs/ldr/pretrain_m_gta5.py.
m_checkpoint = 'work_dirs/pretrain_m_gta5/iter_100000.pth'
# torchvision's ImageNet VGG-19 (parameter names match our VGG).
vgg19_checkpoint = 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth'

train_dataloader = dict(dataset=dict(target=dict(data_root=target_t2s_root)))
model = dict(aligners=dict(
    output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
    # switched on for step 2 by the UDAStageHook of the base
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
                   active=False),
    ldr=dict(type='LabelReconstruction',
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
                                           init_cfg=dict(
                                               type='Pretrained',
                                               checkpoint=vgg19_checkpoint))),
             feature_matching_loss=dict(type='FeatureMatchingLoss'))))
gan_optim_wrapper = dict(type='OptimWrapper',
                         optimizer=dict(type='Adam',
                                        lr=2e-4,
                                        betas=(0.5, 0.999)))
optim_wrapper = {
    'ldr.reconstructor': gan_optim_wrapper,
    'ldr.discriminator': gan_optim_wrapper,
}
param_scheduler = {
    'ldr.reconstructor': {{_base_.param_scheduler.segmentor}},
    'ldr.discriminator': {{_base_.param_scheduler.segmentor}},
}
# step 1 + step 2 (adapt_iters + self_training_iters of the base)
train_cfg = dict(max_iters=200000)
