# Table 3, S1 "Global Alignment" (paper: 41.4 mIoU, GTA5 -> Cityscapes):
# single-level AdaptSegNet only, i.e. exactly
# ../adaptsegnet/deeplabv2_single-level_gta2city.py (150k), the global
# stage that S2-S4 continue with an 80k local stage. Kept under this name so
# that the four ablation rows S1..S4 can be run side by side.
_base_ = ['../adaptsegnet/deeplabv2_single-level_gta2city.py']
recipe_card = dict(
    paper='Joint global-local alignment (Yarram et al., ICASSP 2022)',
    row='Table 3, S1 (global alignment = AdaptSegNet, R)')
