# BDL-style self-training, DeepLab-v2 ResNet-101, SYNTHIA-RAND-CITYSCAPES
# (1280x760) -> Cityscapes: the GTA5 recipe of ./deeplabv2_gta2city.py
# (step 1 single-level adversarial 80k, pseudo labels, step 2 + PseudoLabelCE
# from the initial weights 120k) with the SYNTHIA source. 19-way head; mIoU16
# and mIoU13 are read off the same confusion matrix (SPEC 3). BDL's source
# images are CycleGAN-translated SYNTHIA; point img_path at them to match.
_base_ = ['./deeplabv2_gta2city.py']

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
