# Table 3, S4 "Global-Local Alignment" (paper: 45.2): S3 + the mixture
# module, i.e. the full method = ./deeplabv2_gta2city.py: global 150k,
# local_mix 30k (theta 0.6, background excluded), local 50k (theta 1.0).
# Kept under this name so the ablation rows S1..S4 run side by side.
_base_ = ['./deeplabv2_gta2city.py']
recipe_card = dict(row='Table 3, S4 (+ mixture module)')
