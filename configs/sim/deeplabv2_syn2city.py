# SIM, the whole method in one run, DeepLab-v2 ResNet-101,
# SYNTHIA-RAND-CITYSCAPES -> Cityscapes (paper Table 6 row "+SSL", 52.1
# mIoU13): the two steps of ./deeplabv2_gta2city.py (step 1 SIM, lambdas
# 0.01, 200k; pseudo labels by the step-1 model; step 2 SIM with lambdas
# 0.001 + PseudoLabelCE from the initial weights, 200k) with the source of
# ./deeplabv2_syn2city_step1.py (Table 6 row "+SIM"): CycleGAN-translated
# SYNTHIA under `source_s2t_root`. mIoU16 and mIoU13 off the 19-class
# confusion matrix.
_base_ = ['./deeplabv2_gta2city.py']

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
