# ADVENT (AdvEnt), DeepLab-v2 ResNet-101 multi-level, GTA5 -> Cityscapes:
# AdaptSegNet with the discriminators fed ADVENT's weighted
# self-information map -p log2 p / log2 C instead of the softmax
# (main lambda 1e-3, aux 2e-4; BCE, source 0 / target 1). ADVENT stops at
# 120k of the 250k poly horizon (EARLY_STOP), as the AdaptSegNet config.
_base_ = ['../adaptsegnet/deeplabv2_gta2city.py']

model = dict(aligners=dict(output_adv=dict(input='entropy')))
