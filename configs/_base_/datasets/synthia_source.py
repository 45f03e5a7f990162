# SYNTHIA-RAND-CITYSCAPES as the source domain of a method config written
# for GTA5 -> Cityscapes (the *_syn2city twins of the *_gta2city configs).
# Give it as a second _base_ next to the GTA5 config; the leaf then swaps
# the source and the metric subsets:
#   source_train_dataset = dict(_base_.synthia_source_train_dataset,
#                               _delete_=True)
#   train_dataloader = dict(dataset=dict(source=source_train_dataset))
#   val_evaluator = dict(subsets=_base_.synthia_subsets)
#   test_evaluator = val_evaluator
# (This file cannot set them itself: those keys belong to the GTA5 config,
# and MMEngine refuses a key defined by two bases.) Same data as
# ./synthia.py: 19-class labels, resized (not cropped) to 1280x760.
synthia_source_train_dataset = dict(
    type='SynthiaDataset',
    data_root='data/synthia/',
    num_classes=19,
    data_prefix=dict(img_path='RGB', seg_map_path='GT/LABELS'),
    pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='CheckSegMap', num_classes=19),
        dict(type='Resize', scale=(1280, 760), keep_ratio=False),
        dict(type='PackSegInputs'),
    ])
# The 16- and 13-class means of the SYNTHIA protocols, from the same 19-class
# confusion matrix (train ids; 13 = 16 without wall, fence, pole).
synthia_subsets = dict(
    mIoU16=[0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 17, 18],
    mIoU13=[0, 1, 2, 6, 7, 8, 10, 11, 12, 13, 15, 17, 18])
# The 16-class protocol (ADVENT / DADA): the classes of a 16-way head, in
# Cityscapes order without terrain, truck and train. Cityscapes val read
# with metainfo=dict(classes=synthia16_classes) maps its 19 train ids to
# these 16 (MMSeg's label_map; the three others -> 255), and mIoU13 drops
# wall, fence and pole of the 16.
synthia16_classes = ('road', 'sidewalk', 'building', 'wall', 'fence', 'pole',
                     'traffic light', 'traffic sign', 'vegetation', 'sky',
                     'person', 'rider', 'car', 'bus', 'motorcycle',
                     'bicycle')
synthia16_subsets = dict(
    mIoU13=[0, 1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
