# LDR, DeepLab-v2 ResNet-101, SYNTHIA -> Cityscapes: the GTA5 config with
# the SYNTHIA source of ../adaptsegnet/deeplabv2_syn2city.py, M pretrained
# on SYNTHIA labels and a SYNTHIA-style translation of Cityscapes.
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
train_dataloader = dict(dataset=dict(
    source=source_train_dataset,
    target=dict(data_root='data/cityscapes_t2s_synthia/')))
model = dict(aligners=dict(ldr=dict(reconstructor=dict(init_cfg=dict(
    checkpoint='work_dirs/pretrain_m_synthia/iter_100000.pth')))))
val_evaluator = dict(subsets=dict(
    mIoU16=[0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 17, 18],
    mIoU13=[0, 1, 2, 6, 7, 8, 10, 11, 12, 13, 15, 17, 18]))
test_evaluator = val_evaluator
