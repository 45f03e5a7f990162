# Table 5, "feature space": M reconstructs the image from G's raw output
# (the upsampled logits, which the paper calls G's features) instead of the
# Boltzmann label map; the D_k are conditioned on the same map.
_base_ = ['./fcn8s_vgg16_gta2city.py']
model = dict(aligners=dict(ldr=dict(input_space='feature')))
recipe_card = dict(row='Table 5, feature space, V', paper_miou=41.48,
                   values=dict(input_space=dict(value='feature',
                                                source='paper (LDR, Table 5): '
                                                'feature space')))
