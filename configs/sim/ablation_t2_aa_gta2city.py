# SIM Table 2, row "+ AA" (41.4 mIoU): single-level output-space adversarial
# alignment (lambda 1e-3) on the raw GTA5 images, no IT, no SIM.
_base_ = ['./ablation_t2_aa_it_gta2city.py']
train_dataloader = dict(dataset=dict(source=dict(data_root='data/gta/')))
recipe_card = dict(
    row='Table 2, "+ AA", ResNet-101',
    paper_miou=41.4,
    values=dict(source_images=dict(value='data/gta/',
                                   source='paper (SIM, Table 2): raw GTA5, '
                                   'no IT')))
