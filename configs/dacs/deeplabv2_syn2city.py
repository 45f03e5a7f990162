# DACS, DeepLab-v2 ResNet-101, SYNTHIA -> Cityscapes: ./deeplabv2_gta2city.py
# with SYNTHIA-RAND-CITYSCAPES as the source (1280 x 760, cropped to
# 512 x 512). 19-way head (the AdaptSegNet lineage); mIoU16 / mIoU13 read
# off the 19-class confusion matrix; the paper reports mIoU16.
_base_ = ['./deeplabv2_gta2city.py', '../_base_/datasets/synthia_source.py']

source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True,
                            pipeline=_base_.dacs_synthia_pipeline)
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
recipe_card = dict(
    row='Table 2 (SYNTHIA), DeepLab-v2 ResNet-101',
    task='SYNTHIA -> Cityscapes',
    paper_miou=48.3,
    metric='mIoU16',
    values=dict(source_size=dict(value=(1280, 760),
                                 source='decision: the SYNTHIA size of the '
                                 'DeepLab-v2 baselines, then cropped')))
