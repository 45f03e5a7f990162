# Table 6, row 1: neither reconstruction term (no VGG perceptual loss, no
# discriminator feature matching); only the adversarial term on M(Omega).
_base_ = ['./fcn8s_vgg16_gta2city.py']
model = dict(aligners=dict(
    ldr=dict(perceptual_loss=None, feature_matching_loss=None)))
recipe_card = dict(row='Table 6, neither loss, V', paper_miou=41.53,
                   values=dict(
                       perceptual_loss=dict(key='model.aligners.ldr.perceptual_loss',
                                            value=None,
                                            source='paper (LDR, Table 6)'),
                       feature_matching=dict(
                           key='model.aligners.ldr.feature_matching_loss',
                           value=None,
                           source='paper (LDR, Table 6)')))
