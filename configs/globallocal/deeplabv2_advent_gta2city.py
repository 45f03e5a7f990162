# Joint global-local alignment on top of ADVENT ("Our ADVENT" of Table 1),
# DeepLab-v2 ResNet-101, GTA5 -> Cityscapes: stage 1 (120k) is AdvEnt
# (entropy-map discriminators, main 1e-3 / aux 2e-4); stage 2 is the same
# local alignment as the AdaptSegNet variant (pixel D on the stride-8
# softmax, background excluded, theta 0.6 for 30k then 1.0 for 50k).
_base_ = ['./deeplabv2_gta2city.py']

model = dict(aligners=dict(output_adv=dict(input='entropy')))
