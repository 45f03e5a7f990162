# ADVENT (AdvEnt), DeepLab-v2 ResNet-101 multi-level, SYNTHIA -> Cityscapes.
# Same hyper-parameters as GTA5 but 90k iterations (DADA's SYNTHIA setting,
# MAX_ITERS = EARLY_STOP = 90k; the lr still follows the 250k poly curve).
# 19-way head with mIoU16 / mIoU13 from one confusion matrix (SPEC 3), not
# DADA's 16-way head.
_base_ = ['../adaptsegnet/deeplabv2_syn2city.py']

model = dict(aligners=dict(output_adv=dict(input='entropy')))
train_cfg = dict(max_iters=90000)
