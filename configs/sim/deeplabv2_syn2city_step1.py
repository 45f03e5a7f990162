# SIM step 1 only, DeepLab-v2 ResNet-101, SYNTHIA-RAND-CITYSCAPES ->
# Cityscapes (paper Table 6 row "+SIM", 47.1 mIoU13; the whole method, row
# "+SSL", is ./deeplabv2_syn2city.py). Same network, aligners and schedule
# as ./deeplabv2_gta2city_step1.py; the source is CycleGAN-translated
# SYNTHIA (BDL's images) in the SYNTHIA layout under `source_s2t_root` (RGB/
# + the original GT/LABELS/). 19-way head as in the official code; mIoU16
# and mIoU13 are read off the same confusion matrix.
_base_ = ['./deeplabv2_gta2city_step1.py', '../_base_/datasets/synthia_source.py']

source_s2t_root = 'data/synthia_s2t_cityscapes/'
source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True,
                            data_root=source_s2t_root)
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
recipe_card = dict(
    task='SYNTHIA -> Cityscapes',
    row='Table 6, "+ SIM", ResNet-101',
    paper_miou=47.1,
    metric='mIoU13',
    values=dict(
        source_size=dict(value=(1280, 760),
                         source='official code (liyunsheng13/BDL: '
                         'data/__init__.py, SYNTHIA 1280x760)'),
        source_images=dict(value='data/synthia_s2t_cityscapes/',
                           source='paper (SIM, Sec. 6.3, IT): CycleGAN-'
                           'translated SYNTHIA of BDL')))
