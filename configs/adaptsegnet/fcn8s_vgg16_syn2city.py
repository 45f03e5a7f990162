# AdaptSegNet with FCN-8s VGG-16 (single-level, main D lambda 1e-3),
# SYNTHIA-RAND-CITYSCAPES (1280x760) -> Cityscapes, 120k iterations.
# The GTA5 sibling with the SYNTHIA source; 19-way head, mIoU16 / mIoU13
# from the same confusion matrix as the 19-class mIoU (SPEC 3).
_base_ = ['./fcn8s_vgg16_gta2city.py', '../_base_/datasets/synthia_source.py']

# SYNTHIA source as in ../_base_/datasets/synthia.py.
source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True)
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
recipe_card = dict(
    row='Table 2 (SYNTHIA), VGG-16 (FCN-8s here), single-level',
    task='SYNTHIA -> Cityscapes',
    paper_miou=37.6,
    metric='mIoU13',
    values=dict(source_size=dict(value=(1280, 760),
                                 source='official code (liyunsheng13/BDL: '
                                 'data/__init__.py, SYNTHIA 1280x760)')))
