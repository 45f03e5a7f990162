# Table 2 baseline row (paper: AdapSegNet 31.2 mIoU over 17 classes),
# GTA5 -> Cityscapes: AdaptSegNet as in the other rows of the paper
# (single-level, ../adaptsegnet/deeplabv2_single-level_gta2city.py)
# trained with source building (train id 2) and sky (10) reassigned to
# background and evaluated as mIoU17 (the other 17 classes). Compare with
# ./table2_bg-sky-building_gta2city.py.
_base_ = ['../adaptsegnet/deeplabv2_single-level_gta2city.py']

# Source sky and building become background (255) for the whole training,
# as in the paper's study: the segmentation loss ignores them and the local
# D (if any) excludes them.
relabelled_source_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='RelabelSegMap', classes=(2, 10), to=255),
    dict(type='Resize', scale=(1280, 720), keep_ratio=False),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(dataset=dict(source=dict(
    pipeline=relabelled_source_pipeline)))

val_evaluator = dict(subsets=dict(
    mIoU17=[0, 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18]))
test_evaluator = val_evaluator
recipe_card = dict(
    paper='Joint global-local alignment (Yarram et al., ICASSP 2022)',
    row='Table 2, AdapSegNet (source sky + building as background)',
    paper_miou=31.2,
    metric='mIoU17',
    values=dict(relabelled=dict(
        key='train_dataloader.dataset.source.pipeline[type=RelabelSegMap]'
        '.classes',
        value=(2, 10),
        source='paper (global-local, Sec. 4.1): sky and building '
        'reassigned to background')))
