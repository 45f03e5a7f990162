# SIM Table 2, row "+ IT" (AA + IT, 44.9 mIoU, the baseline SIM builds on):
# single-level output-space adversarial alignment (lambda 1e-3) with the
# CycleGAN-translated GTA5 source of ./deeplabv2_gta2city_step1.py, no SIM.
_base_ = ['./deeplabv2_gta2city_step1.py']
model = dict(aligners=dict(_delete_=True,
                           output_adv={{_base_.model.aligners.output_adv}}))
recipe_card = dict(
    row='Table 2, "+ IT" (AA + IT), ResNet-101',
    paper_miou=44.9,
    values=dict(
        lambda_stuff=dict(_delete_=True, key=None,
                          source='paper (SIM, Table 2): no SIM in this row'),
        lambda_instance=dict(_delete_=True, key=None,
                             source='paper (SIM, Table 2)'),
        stuff_bank=dict(_delete_=True, key=None, source='paper (SIM, '
                        'Table 2)'),
        thing_bank=dict(_delete_=True, key=None, source='paper (SIM, '
                        'Table 2)'),
        max_instances=dict(_delete_=True, key=None, source='paper (SIM, '
                           'Table 2)'),
        stuff_classes=dict(_delete_=True, key=None, source='paper (SIM, '
                           'Table 2)'),
        sim_feature=dict(_delete_=True, key=None, source='paper (SIM, '
                         'Table 2)')))
