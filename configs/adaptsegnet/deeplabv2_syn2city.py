# AdaptSegNet (multi-level output-space adversarial), DeepLab-v2 ResNet-101,
# SYNTHIA-RAND-CITYSCAPES (1280x760) -> Cityscapes. Same model, aligner,
# optimisers and stop as the GTA5 sibling; only the source differs (the
# official code has no SYNTHIA script, issue #31). 19-way head (AdaptSegNet
# lineage); mIoU16 / mIoU13 are read off the same 19-class confusion matrix
# (SPEC 3); the paper reports mIoU13.
_base_ = ['./deeplabv2_gta2city.py', '../_base_/datasets/synthia_source.py']

# SYNTHIA source as in ../_base_/datasets/synthia.py (labels converted by
# tools/dataset_converters/synthia.py to 19 train ids + 255).
source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True)
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
recipe_card = dict(
    row='Table 2 (SYNTHIA), ResNet-101, multi-level',
    task='SYNTHIA -> Cityscapes',
    paper_miou=46.7,
    metric='mIoU13',
    values=dict(
        source_size=dict(value=(1280, 760),
                         source='official code (liyunsheng13/BDL: '
                         'data/__init__.py, SYNTHIA 1280x760; AdaptSegNet '
                         'ships no SYNTHIA loader)'),
        max_iters=dict(source='decision: the GTA5 recipe (AdaptSegNet '
                       'ships no SYNTHIA script, issue #31)')))
