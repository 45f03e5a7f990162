# Joint global-local alignment on BDL with FCN-8s VGG-16, SYNTHIA ->
# Cityscapes ("Our BDL", V, Table 1: 47.7 mIoU13): ./fcn8s_vgg16_bdl_
# gta2city.py from BDL's VGG SYNTHIA model on translated SYNTHIA, with the
# paper's SYNTHIA mixture floor theta = 0.8.
_base_ = [
    './fcn8s_vgg16_bdl_gta2city.py',
    '../_base_/datasets/synthia_source.py',
]
load_from = 'work_dirs/fcn8s_vgg16_bdl-m2-2_syn2city/iter_320000.pth'
source_train_dataset = dict(_base_.synthia_source_train_dataset,
                            _delete_=True,
                            data_root='data/synthia_s2t_cityscapes/')
train_dataloader = dict(dataset=dict(source=source_train_dataset))
val_evaluator = dict(subsets=_base_.synthia_subsets)
test_evaluator = val_evaluator
custom_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(s, aligners=dict(s['aligners'],
                                   pseudo_ce=dict(active=True)))
             for s in _base_.local_stages_synthia
         ]),
    dict(type='PseudoLabelHook',
         stage='local_mix',
         target_dataset=dict(pipeline=_base_.target_pseudo_pipeline),
         label_scale=(1024, 512),
         cap=0.9),
]
recipe_card = dict(
    task='SYNTHIA -> Cityscapes',
    paper_miou=47.7,
    metric='mIoU13',
    values=dict(
        theta=dict(value=0.8),
        global_model=dict(value='work_dirs/fcn8s_vgg16_bdl-m2-2_syn2city/'
                          'iter_320000.pth'),
        source_size=dict(value=(1280, 760),
                         source='official code (liyunsheng13/BDL: '
                         'data/__init__.py, SYNTHIA 1280x760)'),
        source_images=dict(value='data/synthia_s2t_cityscapes/',
                           source='official code (liyunsheng13/BDL: '
                           'README, the released translated SYNTHIA)')))
