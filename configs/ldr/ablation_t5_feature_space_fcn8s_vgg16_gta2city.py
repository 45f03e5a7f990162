# Table 5, "feature space": M reconstructs the image from G's raw output
# (the upsampled logits, which the paper calls G's features) instead of the
# Boltzmann label map; the D_k are conditioned on the same map.
_base_ = ['./fcn8s_vgg16_gta2city.py']
model = dict(aligners=dict(ldr=dict(input_space='feature')))
