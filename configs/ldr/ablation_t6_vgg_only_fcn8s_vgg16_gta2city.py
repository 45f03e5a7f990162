# Table 6, row 2: VGG perceptual loss only (no feature matching).
_base_ = ['./fcn8s_vgg16_gta2city.py']
model = dict(aligners=dict(ldr=dict(feature_matching_loss=None)))
recipe_card = dict(row='Table 6, VGG perceptual only, V', paper_miou=42.82,
                   values=dict(
                       perceptual_loss=dict(key='model.aligners.ldr.perceptual_loss',
                                            value=dict(type='PerceptualLoss', vgg=dict(type='VGG', depth=19, init_cfg=dict(type='Pretrained', checkpoint=_base_.vgg19_checkpoint))),
                                            source='paper (LDR, Table 6)'),
                       feature_matching=dict(
                           key='model.aligners.ldr.feature_matching_loss',
                           value=None,
                           source='paper (LDR, Table 6)')))
