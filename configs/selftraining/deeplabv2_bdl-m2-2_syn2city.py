# BDL's M_2^(2)(F^(2)), DeepLab-v2 ResNet-101, SYNTHIA -> Cityscapes (the
# global-local paper's baseline row 51.4 mIoU13): the two chained rounds of
# ./deeplabv2_bdl-m2-2_gta2city.py on BDL's released CycleGAN-translated
# SYNTHIA (SYNTHIA layout under `source_s2t_root`: RGB/, GT/LABELS/),
# 1280x760, 19-way head, mIoU16 / mIoU13 from the same confusion matrix.
_base_ = [
    './deeplabv2_bdl-m2-2_gta2city.py',
    '../_base_/datasets/synthia_source.py',
]

source_s2t_root = 'data/synthia_s2t_cityscapes/'
source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True,
                            data_root=source_s2t_root)
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
recipe_card = dict(
    task='SYNTHIA -> Cityscapes',
    paper_miou=51.4,
    metric='mIoU13',
    values=dict(
        source_size=dict(value=(1280, 760),
                         source='official code (liyunsheng13/BDL: '
                         'data/__init__.py, SYNTHIA 1280x760)'),
        source_images=dict(value='data/synthia_s2t_cityscapes/',
                           source='official code (liyunsheng13/BDL: '
                           'README, the released CycleGAN-translated '
                           'SYNTHIA, F^(2))')))
