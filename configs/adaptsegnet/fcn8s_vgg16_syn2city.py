# AdaptSegNet with FCN-8s VGG-16 (single-level, main D lambda 1e-3),
# SYNTHIA-RAND-CITYSCAPES (1280x760) -> Cityscapes, 120k iterations.
# The GTA5 sibling with the SYNTHIA source; 19-way head, mIoU16 / mIoU13
# from the same confusion matrix as the 19-class mIoU (SPEC 3).
_base_ = ['./fcn8s_vgg16_gta2city.py']

# SYNTHIA source as in ../_base_/datasets/synthia.py.
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
