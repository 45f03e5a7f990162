# ADVENT (AdvEnt) with FCN-8s VGG-16, GTA5 -> Cityscapes: one entropy-map
# discriminator on the main (only) output, lambda 1e-3, 120k iterations.
# ADVENT's own "V" network is DeepLab-v2 VGG-16; we use the repository's
# FCN-8s VGG-16 (SPEC 3) for every "V" row.
_base_ = ['../adaptsegnet/fcn8s_vgg16_gta2city.py']

model = dict(aligners=dict(output_adv=dict(input='entropy')))
recipe_card = dict(
    paper='ADVENT (Vu et al., CVPR 2019)',
    row='Table 1, AdvEnt, VGG-16 (FCN-8s here)',
    paper_miou=None,
    values=dict(
        d_input=dict(key='model.aligners.output_adv.input',
                     value='entropy',
                     source='paper (ADVENT, Sec. 3.2): weighted '
                     'self-information maps'),
        max_iters=dict(source='official code (valeoai/ADVENT: '
                       'advent/domain_adaptation/config.py: EARLY_STOP '
                       '120000)')))
