# MIC on DAFormer, MiT-B5, SYNTHIA -> Cityscapes: the SYNTHIA source of
# ../daformer/daformer_mit-b5_syn2city.py with the MIC term of
# ../_base_/uda/mic.py. Our notes give no MIC(DAFormer) SYNTHIA number, so
# the card states none.
_base_ = ['../daformer/daformer_mit-b5_syn2city.py', '../_base_/uda/mic.py']

model = dict(aligners=dict(mic=_base_.mic_aligner))
recipe_card = dict(paper='MIC (Hoyer et al., CVPR 2023)',
                   row='MIC(DAFormer), MiT-B5, SYNTHIA',
                   paper_miou=None,
                   values=_base_.mic_card_values)
