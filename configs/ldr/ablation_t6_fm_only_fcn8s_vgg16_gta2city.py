# Table 6, row 3: discriminator feature matching only (no VGG loss).
_base_ = ['./fcn8s_vgg16_gta2city.py']
model = dict(aligners=dict(ldr=dict(perceptual_loss=None)))
