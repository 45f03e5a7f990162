# Pretraining of M on SYNTHIA-RAND-CITYSCAPES labels (see
# pretrain_m_gta5.py); loaded by configs/ldr/deeplabv2_syn2city.py.
_base_ = ['./pretrain_m_gta5.py', '../_base_/datasets/synthia_source.py']
train_dataloader = dict(
    dataset=dict(_base_.synthia_source_train_dataset, _delete_=True))
recipe_card = dict(task='SYNTHIA labels -> SYNTHIA images')
