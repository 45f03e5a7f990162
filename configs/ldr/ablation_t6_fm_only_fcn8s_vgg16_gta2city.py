# Table 6, row 3: discriminator feature matching only (no VGG loss).
_base_ = ['./fcn8s_vgg16_gta2city.py']
model = dict(aligners=dict(ldr=dict(perceptual_loss=None)))
recipe_card = dict(row='Table 6, discriminator feature matching only, V', paper_miou=41.95,
                   values=dict(
                       perceptual_loss=dict(key='model.aligners.ldr.perceptual_loss',
                                            value=None,
                                            source='paper (LDR, Table 6)'),
                       feature_matching=dict(
                           key='model.aligners.ldr.feature_matching_loss',
                           value=dict(type='FeatureMatchingLoss'),
                           source='paper (LDR, Table 6)')))
