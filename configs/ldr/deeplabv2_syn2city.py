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
val_dataloader = dict(dataset=dict(data_prefix=dict(
    img_path=_base_.translated_val_synthia)))
test_dataloader = val_dataloader
recipe_card = dict(
    row='Table 2 / 3, Ours, R',
    task='SYNTHIA -> Cityscapes',
    paper_miou=53.1,
    metric='mIoU13',
    values=dict(
        source_size=dict(value=(1280, 760),
                         source='official code (liyunsheng13/BDL: '
                         'data/__init__.py, SYNTHIA 1280x760)'),
        m_init=dict(value='work_dirs/pretrain_m_synthia/iter_100000.pth'),
        target_images=dict(value='data/cityscapes_t2s_synthia/'),
        eval_images=dict(value=_base_.translated_val_synthia)))
