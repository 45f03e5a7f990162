# Table 5, "feature space", SYNTHIA -> Cityscapes (see the GTA5 sibling).
_base_ = ['./fcn8s_vgg16_syn2city.py']
model = dict(aligners=dict(ldr=dict(input_space='feature')))
