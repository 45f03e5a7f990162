# Pretraining of M on SYNTHIA-RAND-CITYSCAPES labels (see
# pretrain_m_gta5.py); loaded by configs/ldr/deeplabv2_syn2city.py.
_base_ = ['./pretrain_m_gta5.py']
train_dataloader = dict(
    dataset=dict(_delete_=True,
                 type='SynthiaDataset',
                 data_root='data/synthia/',
                 num_classes=19,
                 data_prefix=dict(img_path='RGB', seg_map_path='GT/LABELS'),
                 pipeline=[
                     dict(type='LoadImageFromFile'),
                     dict(type='LoadAnnotations'),
                     dict(type='CheckSegMap', num_classes=19),
                     dict(type='Resize', scale=(1280, 760),
                          keep_ratio=False),
                     dict(type='PackSegInputs'),
                 ]))
