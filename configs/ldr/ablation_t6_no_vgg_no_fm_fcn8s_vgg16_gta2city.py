# Table 6, row 1: neither reconstruction term (no VGG perceptual loss, no
# discriminator feature matching); only the adversarial term on M(Omega).
_base_ = ['./fcn8s_vgg16_gta2city.py']
model = dict(aligners=dict(
    ldr=dict(perceptual_loss=None, feature_matching_loss=None)))
