# AdaptSegNet (multi-level output-space adversarial), DeepLab-v2 ResNet-101,
# SYNTHIA-RAND-CITYSCAPES (1280x760) -> Cityscapes. Same model, aligner,
# optimisers and 120k stop as the GTA5 sibling; only the source differs.
# 19-way head (AdaptSegNet lineage); mIoU16 / mIoU13 are read off the same
# 19-class confusion matrix (SPEC 3).
_base_ = ['./deeplabv2_gta2city.py']

# SYNTHIA source as in ../_base_/datasets/synthia.py (labels converted by
# tools/dataset_converters/synthia.py to 19 train ids + 255).
source_train_dataset = dict(_delete_=True,
                            type='SynthiaDataset',
                            data_root='data/synthia/',
                            num_classes=19,
                            data_prefix=dict(img_path='RGB',
                                             seg_map_path='GT/LABELS'),
                            pipeline=[
                                dict(type='LoadImageFromFile'),
                                dict(type='LoadAnnotations'),
                                dict(type='CheckSegMap', num_classes=19),
                                dict(type='Resize',
                                     scale=(1280, 760),
                                     keep_ratio=False),
                                dict(type='PackSegInputs'),
                            ])
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=dict(
    mIoU16=[0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 17, 18],
    mIoU13=[0, 1, 2, 6, 7, 8, 10, 11, 12, 13, 15, 17, 18]))
test_evaluator = val_evaluator
