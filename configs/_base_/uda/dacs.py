# DACS parts (Tranheden et al., WACV 2021; ../../../README: modern
# self-training) shared by the full-size DACS / DAFormer / MIC configs.
# Give it as a further _base_; the leaf then writes
#   model = dict(teacher=_base_.dacs_teacher,
#                aligners=dict(class_mix=_base_.dacs_class_mix))
#   train_dataloader = dict(batch_size=2, dataset=dict(
#       source=dict(pipeline=_base_.dacs_gta5_pipeline),
#       target=dict(pipeline=_base_.dacs_cityscapes_pipeline)))
# (this file cannot hold `model` or `train_dataloader`: they belong to the
# network and dataset bases).
#
# One step: the EMA teacher (alpha 0.99) labels the target crops (argmax);
# half of each source crop's classes are pasted onto a target crop, image
# and labels alike; G trains on the mixed crop (after colour jitter and
# Gaussian blur) with the pasted source pixels at weight 1 and the target
# pixels at the share of teacher confidences above 0.968, and on the source
# crop with its labels. Mixing needs equal sizes: both domains are cropped
# to 512 x 512 (source after the usual 1280 x 720 / 1280 x 760 resize,
# target after 1024 x 512).
dacs_crop_size = (512, 512)
dacs_teacher = dict(alpha=0.99)
dacs_class_mix = dict(type='ClassMixSelfTraining',
                      weight=1.0,
                      threshold=0.968,
                      augment=dict(),
                      levels=dict(main=1.0))


def _crop_pipeline(scale, labelled):
    steps = [dict(type='LoadImageFromFile')]
    if labelled:
        steps += [
            dict(type='LoadAnnotations'),
            dict(type='CheckSegMap', num_classes=19)
        ]
    return steps + [
        dict(type='Resize', scale=scale, keep_ratio=False),
        dict(type='RandomCrop', crop_size=dacs_crop_size),
        dict(type='PackSegInputs'),
    ]


dacs_gta5_pipeline = _crop_pipeline((1280, 720), True)
dacs_synthia_pipeline = _crop_pipeline((1280, 760), True)
dacs_cityscapes_pipeline = _crop_pipeline((1024, 512), False)
del _crop_pipeline

# Recipe-card values of the DACS parts (tools/recipe_card.py); a leaf merges
# them into its card: values=dict(_base_.dacs_card_values, ...).
_notes = 'paper (DACS, as summarised in ../shared/notes/modern-self-training.md)'
dacs_card_values = dict(
    teacher_alpha=dict(key='model.teacher.alpha', value=0.99, source=_notes),
    confidence_tau=dict(key='model.aligners.class_mix.threshold',
                        value=0.968,
                        source=_notes),
    mix_weight=dict(key='model.aligners.class_mix.weight',
                    value=1.0,
                    source=_notes + ': L = CE(source) + w CE(mixed)'),
    augment=dict(key='model.aligners.class_mix.augment',
                 value=dict(),
                 source='decision: colour jitter s 0.2 (p 0.2) and blur '
                 '(p 0.5, sigma 0.15-1.15), the values of the released '
                 'configs as we know them (the paper names the '
                 'augmentations only)'),
    batch=dict(key='train_dataloader.batch_size',
               value=2,
               source=_notes + ': 2 source + 2 target'),
    source_crop=dict(key='train_dataloader.dataset.source.pipeline'
                     '[type=RandomCrop].crop_size',
                     value=(512, 512),
                     source=_notes),
    target_crop=dict(key='train_dataloader.dataset.target.pipeline'
                     '[type=RandomCrop].crop_size',
                     value=(512, 512),
                     source=_notes))
del _notes
