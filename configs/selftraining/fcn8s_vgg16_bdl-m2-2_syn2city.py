# BDL's M_2^(2) with FCN-8s VGG-16, SYNTHIA -> Cityscapes (LDR Table 3 S->T,
# V: 39.0): ./fcn8s_vgg16_bdl-m2-2_gta2city.py on BDL's translated SYNTHIA.
_base_ = [
    './fcn8s_vgg16_bdl-m2-2_gta2city.py',
    '../_base_/datasets/synthia_source.py',
]
source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True,
                            data_root='data/synthia_s2t_cityscapes/')
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
recipe_card = dict(
    task='SYNTHIA -> Cityscapes',
    paper_miou=39.0,
    metric='mIoU16',
    values=dict(
        source_size=dict(value=(1280, 760),
                         source='official code (liyunsheng13/BDL: '
                         'data/__init__.py, SYNTHIA 1280x760)'),
        source_images=dict(value='data/synthia_s2t_cityscapes/')))
