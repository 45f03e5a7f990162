# Joint global-local alignment on BDL, SYNTHIA -> Cityscapes ("Our BDL", R,
# Table 1: 52.5 mIoU13): ./deeplabv2_bdl_gta2city.py from BDL's SYNTHIA
# M_2^(2) (../selftraining/deeplabv2_bdl-m2-2_syn2city.py) on translated
# SYNTHIA, with the paper's SYNTHIA mixture floor theta = 0.8.
_base_ = [
    './deeplabv2_bdl_gta2city.py',
    '../_base_/datasets/synthia_source.py',
]
load_from = 'work_dirs/deeplabv2_bdl-m2-2_syn2city/iter_320000.pth'
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
    paper_miou=52.5,
    metric='mIoU13',
    values=dict(
        theta=dict(value=0.8),
        global_model=dict(value='work_dirs/deeplabv2_bdl-m2-2_syn2city/'
                          'iter_320000.pth'),
        source_size=dict(value=(1280, 760),
                         source='official code (liyunsheng13/BDL: '
                         'data/__init__.py, SYNTHIA 1280x760)'),
        source_images=dict(value='data/synthia_s2t_cityscapes/',
                           source='official code (liyunsheng13/BDL: '
                           'README, the released CycleGAN-translated '
                           'SYNTHIA, F^(2))')))
