# SIM Table 2, row "source only" (36.6 mIoU): the SIM network (single-level
# DeepLab-v2 ResNet-101, 2-branch classifier) trained on raw GTA5 only, the
# SIM schedule (250k poly horizon, stop at 200k).
_base_ = ['../source_only/deeplabv2_r101_gta2city.py']
model = dict(decode_head=dict(dilations=(6, 12)), auxiliary_head=None)
train_cfg = dict(max_iters=200000)
