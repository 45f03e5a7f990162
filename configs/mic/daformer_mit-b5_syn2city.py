# MIC on DAFormer, MiT-B5, SYNTHIA -> Cityscapes: the SYNTHIA source of
# ../daformer/daformer_mit-b5_syn2city.py with the MIC term of
# ./daformer_mit-b5_gta2city.py. Our notes give no MIC(DAFormer) SYNTHIA
# number, so the card states none.
_base_ = ['../daformer/daformer_mit-b5_syn2city.py']

model = dict(aligners=dict(mic=dict(type='MaskedImageConsistency',
                                    weight=1.0,
                                    patch_size=64,
                                    ratio=0.7,
                                    threshold=0.968,
                                    levels=dict(main=1.0))))
_notes = 'paper (MIC, as summarised in ../shared/notes/modern-self-training.md)'
recipe_card = dict(
    paper='MIC (Hoyer et al., CVPR 2023)',
    row='MIC(DAFormer), MiT-B5, SYNTHIA',
    paper_miou=None,
    values=dict(
        mic_weight=dict(key='model.aligners.mic.weight', value=1.0,
                        source=_notes + ': lambda_M'),
        mic_patch=dict(key='model.aligners.mic.patch_size', value=64,
                       source=_notes),
        mic_ratio=dict(key='model.aligners.mic.ratio', value=0.7,
                       source=_notes),
        mic_augment=dict(key='model.aligners.mic.augment',
                         value=None,
                         source='decision: the masked image is not '
                         'colour-augmented (Eq. 2 masks only)')))
del _notes
