# AdaptSegNet + one BDL self-training round, DeepLab-v2 ResNet-101,
# SYNTHIA-RAND-CITYSCAPES (1280x760) -> Cityscapes: the GTA5 recipe of
# ./deeplabv2_adaptsegnet-ssl1_gta2city.py (step 1 single-level
# adversarial 80k, pseudo labels, step 2 + PseudoLabelCE from the initial
# weights 120k) with the SYNTHIA source. 19-way head; mIoU16
# and mIoU13 are read off the same confusion matrix (SPEC 3). BDL's own
# recipe (two rounds, translated SYNTHIA): ./deeplabv2_bdl-m2-2_syn2city.py.
_base_ = [
    './deeplabv2_adaptsegnet-ssl1_gta2city.py',
    '../_base_/datasets/synthia_source.py',
]

source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True)
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
recipe_card = dict(
    task='SYNTHIA -> Cityscapes',
    metric='mIoU13',
    values=dict(
        source_size=dict(value=(1280, 760),
                         source='official code (liyunsheng13/BDL: '
                         'data/__init__.py, SYNTHIA 1280x760)'),
        source_images=dict(value='data/synthia/')))
