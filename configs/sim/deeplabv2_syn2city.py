# SIM, the whole method in one run, DeepLab-v2 ResNet-101,
# SYNTHIA-RAND-CITYSCAPES -> Cityscapes (paper Table 6 row "+SSL", 52.1
# mIoU13): the two steps of ./deeplabv2_gta2city.py (step 1 SIM, lambdas
# 0.01, 200k; pseudo labels by the step-1 model; step 2 SIM with lambdas
# 0.001 + PseudoLabelCE from the initial weights, 200k) with the source of
# ./deeplabv2_syn2city_step1.py (Table 6 row "+SIM"): CycleGAN-translated
# SYNTHIA under `source_s2t_root`. mIoU16 and mIoU13 off the 19-class
# confusion matrix.
_base_ = ['./deeplabv2_gta2city.py', '../_base_/datasets/synthia_source.py']

source_s2t_root = 'data/synthia_s2t_cityscapes/'
source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True,
                            data_root=source_s2t_root)
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
recipe_card = dict(
    task='SYNTHIA -> Cityscapes',
    row='Table 6, "+ SSL", ResNet-101',
    paper_miou=52.1,
    metric='mIoU13',
    values=dict(
        source_size=dict(value=(1280, 760),
                         source='official code (liyunsheng13/BDL: '
                         'data/__init__.py, SYNTHIA 1280x760)'),
        source_images=dict(value='data/synthia_s2t_cityscapes/',
                           source='paper (SIM, Sec. 6.3, IT): CycleGAN-'
                           'translated SYNTHIA of BDL')))
