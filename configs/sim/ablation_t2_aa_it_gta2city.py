# SIM Table 2, row "+ IT" (AA + IT, 44.9 mIoU, the baseline SIM builds on):
# single-level output-space adversarial alignment (lambda 1e-3) with the
# CycleGAN-translated GTA5 source of ./deeplabv2_gta2city_step1.py, no SIM.
_base_ = ['./deeplabv2_gta2city_step1.py']
model = dict(aligners=dict(_delete_=True,
                           output_adv={{_base_.model.aligners.output_adv}}))
