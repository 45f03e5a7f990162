# MIC (Hoyer et al., CVPR 2023) on DAFormer, MiT-B5, GTA5 -> Cityscapes:
# ../daformer/daformer_mit-b5_gta2city.py plus masked image consistency on
# the target (patches 64 x 64 dropped with probability 0.7, the teacher's
# pseudo labels of the unmasked image, confidence-weighted, lambda_M 1;
# ../_base_/uda/mic.py), sharing DAFormer's EMA teacher.
_base_ = ['../daformer/daformer_mit-b5_gta2city.py', '../_base_/uda/mic.py']

model = dict(aligners=dict(mic=_base_.mic_aligner))
recipe_card = dict(paper='MIC (Hoyer et al., CVPR 2023)',
                   row='MIC(DAFormer), MiT-B5',
                   paper_miou=70.6,
                   values=_base_.mic_card_values)
