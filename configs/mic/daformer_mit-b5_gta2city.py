# MIC (Hoyer et al., CVPR 2023) on DAFormer, MiT-B5, GTA5 -> Cityscapes:
# ../daformer/daformer_mit-b5_gta2city.py plus masked image consistency on
# the target (patches 64 x 64 dropped with probability 0.7, the teacher's
# pseudo labels of the unmasked image, confidence-weighted, lambda_M 1),
# sharing DAFormer's EMA teacher.
_base_ = ['../daformer/daformer_mit-b5_gta2city.py']

model = dict(aligners=dict(mic=dict(type='MaskedImageConsistency',
                                    weight=1.0,
                                    patch_size=64,
                                    ratio=0.7,
                                    threshold=0.968,
                                    levels=dict(main=1.0))))
_notes = 'paper (MIC, as summarised in ../shared/notes/modern-self-training.md)'
recipe_card = dict(
    paper='MIC (Hoyer et al., CVPR 2023)',
    row='MIC(DAFormer), MiT-B5',
    paper_miou=70.6,
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
