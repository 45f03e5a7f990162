# LDR's reconstruction network M (labels -> image) and its discriminators
# D_k (SPEC 4.3; paper Sec. 3.3, 4.3), as parts: M is trained alone first
# (../../ldr/pretrain_m_gta5.py builds a LabelToImage model from them), then
# inside the LabelReconstruction aligner (../uda/ldr.py), so no `model` here.
# Decisions (the paper is silent): M is a ResNet generator (pix2pixHD's
# global generator: 64 base channels, 9 residual blocks, instance norm);
# the D_k are 3 PatchGANs at 1, 1/2, 1/4 scale; the perceptual term is
# VGG-19's (torchvision's ImageNet weights; parameter names match our VGG).
vgg19_checkpoint = 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth'
m_reconstructor = dict(type='ResnetGenerator',
                       base_channels=64,
                       num_blocks=9,
                       norm_cfg=dict(type='IN'))
m_discriminator = dict(type='MultiScalePatchDiscriminator',
                       num_scales=3,
                       discriminator=dict(type='PatchDiscriminator',
                                          base_channels=64,
                                          num_layers=3,
                                          norm_cfg=dict(type='IN')))
vgg19_perceptual_loss = dict(type='PerceptualLoss',
                             vgg=dict(type='VGG',
                                      depth=19,
                                      init_cfg=dict(
                                          type='Pretrained',
                                          checkpoint=vgg19_checkpoint)))
# The demo's widths (configs/demo/ldr*_synthetic.py): 16 base channels, 3
# residual blocks, so M trains on a CPU.
m_reconstructor_demo = dict(m_reconstructor, base_channels=16, num_blocks=3)
m_discriminator_demo = dict(m_discriminator,
                            discriminator=dict(
                                m_discriminator['discriminator'],
                                base_channels=16))
