# LDR, DeepLab-v2 ResNet-101, SYNTHIA -> Cityscapes: the GTA5 config with
# the SYNTHIA source of ../adaptsegnet/deeplabv2_syn2city.py, M pretrained
# on SYNTHIA labels and a SYNTHIA-style translation of Cityscapes.
_base_ = ['./deeplabv2_gta2city.py', '../_base_/datasets/synthia_source.py']

source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True)
train_dataloader = dict(dataset=dict(
    source=source_train_dataset,
    target=dict(data_root='data/cityscapes_t2s_synthia/')))
model = dict(aligners=dict(ldr=dict(reconstructor=dict(init_cfg=dict(
    checkpoint='work_dirs/pretrain_m_synthia/iter_100000.pth')))))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
