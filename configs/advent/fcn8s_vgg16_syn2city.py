# ADVENT (AdvEnt) with FCN-8s VGG-16, SYNTHIA -> Cityscapes: one
# entropy-map discriminator on the main output (lambda 1e-3), 90k
# iterations as DADA on SYNTHIA; 19-way head, mIoU16 / mIoU13 reported.
_base_ = ['../adaptsegnet/fcn8s_vgg16_syn2city.py']

model = dict(aligners=dict(output_adv=dict(input='entropy')))
train_cfg = dict(max_iters=90000)
recipe_card = dict(
    paper='ADVENT (Vu et al., CVPR 2019)',
    row='Table 2 (SYNTHIA), AdvEnt, VGG-16 (FCN-8s here)',
    paper_miou=None,
    values=dict(
        d_input=dict(key='model.aligners.output_adv.input',
                     value='entropy',
                     source='paper (ADVENT, Sec. 3.2)'),
        max_iters=dict(value=90000,
                       source='official code (valeoai/DADA: MAX_ITERS 90k, '
                       'ADVENT issue #12); decision: 19-way head and the '
                       '250k poly curve of the other V rows (the R config '
                       'follows DADA fully)')))
