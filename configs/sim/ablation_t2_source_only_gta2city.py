# SIM Table 2, row "source only" (36.6 mIoU): the SIM network (single-level
# DeepLab-v2 ResNet-101, 2-branch classifier) trained on raw GTA5 only, the
# SIM schedule (250k poly horizon, stop at 200k).
_base_ = ['../source_only/deeplabv2_r101_gta2city.py']
model = dict(decode_head=dict(dilations=(6, 12)), auxiliary_head=None)
train_cfg = dict(max_iters=200000)
recipe_card = dict(
    paper='SIM (Wang et al., CVPR 2020)',
    row='Table 2, source only, ResNet-101',
    values=dict(
        max_iters=dict(value=200000,
                       source='official code (SHI-Labs/Unsupervised-'
                       'Domain-Adaptation-with-Differential-Treatment: '
                       'train_sim.py num_steps_stop, the SIM schedule)'),
        levels=dict(_delete_=True,
                    key='model.auxiliary_head',
                    value=None,
                    source='official code (SIM: single-level network)'),
        aspp_dilations=dict(key='model.decode_head.dilations',
                            value=(6, 12),
                            source='official code (SIM: the 2-branch '
                            'classifier of its published models)')))
