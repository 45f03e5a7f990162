# ADVENT (AdvEnt) with FCN-8s VGG-16, SYNTHIA -> Cityscapes: one
# entropy-map discriminator on the main output (lambda 1e-3), 90k
# iterations as DADA on SYNTHIA; 19-way head, mIoU16 / mIoU13 reported.
_base_ = ['../adaptsegnet/fcn8s_vgg16_syn2city.py']

model = dict(aligners=dict(output_adv=dict(input='entropy')))
train_cfg = dict(max_iters=90000)
