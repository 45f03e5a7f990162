# Table 6, row 2: VGG perceptual loss only (no feature matching).
_base_ = ['./fcn8s_vgg16_gta2city.py']
model = dict(aligners=dict(ldr=dict(feature_matching_loss=None)))
