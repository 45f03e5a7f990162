# SIM step 1 only, DeepLab-v2 ResNet-101, SYNTHIA-RAND-CITYSCAPES ->
# Cityscapes (paper Table 6 row "+SIM", 47.1 mIoU13; the whole method, row
# "+SSL", is ./deeplabv2_syn2city.py). Same network, aligners and schedule
# as ./deeplabv2_gta2city_step1.py; the source is CycleGAN-translated
# SYNTHIA (BDL's images) in the SYNTHIA layout under `source_s2t_root` (RGB/
# + the original GT/LABELS/). 19-way head as in the official code; mIoU16
# and mIoU13 are read off the same confusion matrix.
_base_ = ['./deeplabv2_gta2city_step1.py']

source_s2t_root = 'data/synthia_s2t_cityscapes/'
source_train_dataset = dict(_delete_=True,
                            type='SynthiaDataset',
                            data_root=source_s2t_root,
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
