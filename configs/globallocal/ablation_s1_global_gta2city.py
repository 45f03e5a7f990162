# Table 3, S1 "Global Alignment" (paper: 41.4 mIoU, GTA5 -> Cityscapes):
# AdaptSegNet only, i.e. exactly ../adaptsegnet/deeplabv2_gta2city.py
# (main + aux output-space D, 120k). Kept under this name so that the four
# ablation rows S1..S4 can be run side by side; S2-S4 continue from the
# same 120k global stage with an 80k local stage.
_base_ = ['../adaptsegnet/deeplabv2_gta2city.py']
