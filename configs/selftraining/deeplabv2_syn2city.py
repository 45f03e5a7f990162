# BDL-style self-training, DeepLab-v2 ResNet-101, SYNTHIA-RAND-CITYSCAPES
# (1280x760) -> Cityscapes: the GTA5 recipe of ./deeplabv2_gta2city.py
# (step 1 single-level adversarial 80k, pseudo labels, step 2 + PseudoLabelCE
# from the initial weights 120k) with the SYNTHIA source. 19-way head; mIoU16
# and mIoU13 are read off the same confusion matrix (SPEC 3). BDL's source
# images are CycleGAN-translated SYNTHIA; point img_path at them to match.
_base_ = ['./deeplabv2_gta2city.py', '../_base_/datasets/synthia_source.py']

source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True)
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
