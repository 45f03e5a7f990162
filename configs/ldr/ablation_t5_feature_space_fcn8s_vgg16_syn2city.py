# Table 5, "feature space", SYNTHIA -> Cityscapes (see the GTA5 sibling).
_base_ = ['./fcn8s_vgg16_syn2city.py']
model = dict(aligners=dict(ldr=dict(input_space='feature')))
recipe_card = dict(row='Table 5, feature space, V', paper_miou=40.13,
                   values=dict(input_space=dict(value='feature',
                                                source='paper (LDR, Table 5): '
                                                'feature space')))
