# LDR, FCN-8s VGG-16, SYNTHIA -> Cityscapes (16-class protocol of the
# paper's "V" rows is read off the 19-class confusion matrix).
_base_ = ['./fcn8s_vgg16_gta2city.py', '../_base_/datasets/synthia_source.py']

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
    row='Table 2 / 3, Ours, V',
    task='SYNTHIA -> Cityscapes',
    paper_miou=41.1,
    metric='mIoU16',
    values=dict(
        source_size=dict(value=(1280, 760),
                         source='official code (liyunsheng13/BDL: '
                         'data/__init__.py, SYNTHIA 1280x760)'),
        m_init=dict(value='work_dirs/pretrain_m_synthia/iter_100000.pth'),
        target_images=dict(value='data/cityscapes_t2s_synthia/'),
        eval_images=dict(value=_base_.translated_val_synthia)))
