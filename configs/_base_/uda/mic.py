# MIC's term (Hoyer et al., CVPR 2023) shared by the full-size MIC configs.
# Give it as a further _base_; the leaf writes
#   model = dict(aligners=dict(mic=_base_.mic_aligner))
#   recipe_card = dict(values=_base_.mic_card_values, ...)
mic_aligner = dict(type='MaskedImageConsistency',
                   weight=1.0,
                   patch_size=64,
                   ratio=0.7,
                   threshold=0.968,
                   levels=dict(main=1.0))
_notes = 'paper (MIC, as summarised in ../shared/notes/modern-self-training.md)'
mic_card_values = dict(
    mic_weight=dict(key='model.aligners.mic.weight',
                    value=1.0,
                    source=_notes + ': lambda_M'),
    mic_patch=dict(key='model.aligners.mic.patch_size',
                   value=64,
                   source=_notes),
    mic_ratio=dict(key='model.aligners.mic.ratio', value=0.7, source=_notes),
    mic_augment=dict(key='model.aligners.mic.augment',
                     value=None,
                     source='decision: the masked image is not '
                     'colour-augmented (Eq. 2 masks only)'))
del _notes
