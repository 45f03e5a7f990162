# ADVENT's MinEnt, DeepLab-v2 ResNet-101 multi-level, GTA5 -> Cityscapes:
# no discriminator; the target prediction's normalised entropy
# -sum p log2 p / log2 C is minimised directly (lambda_ent main 1e-3,
# aux 2e-4), everything else as AdvEnt (./deeplabv2_gta2city.py): 120k of
# the 250k poly horizon, best snapshot on val (an oracle choice). With the
# AdvEnt model it forms the paper's "AdvEnt+MinEnt" ensemble (README).
_base_ = ['./deeplabv2_gta2city.py']

model = dict(aligners=dict(_delete_=True,
                           ent_min=dict(type='EntropyMinimization',
                                        levels=dict(main=1e-3, aux=2e-4))))
optim_wrapper = {
    '_delete_': True,
    'constructor': 'UDAOptimWrapperConstructor',
    'segmentor': _base_.optim_wrapper.segmentor,
}
param_scheduler = {
    '_delete_': True,
    'segmentor': _base_.param_scheduler.segmentor,
}
_no_d = 'paper (ADVENT, Sec. 3.1): MinEnt has no discriminator'
recipe_card = dict(
    row='Table 1, MinEnt, ResNet-101',
    paper_miou=42.3,
    values=dict(
        d_lr=dict(key=None, source=_no_d),
        d_betas=dict(key=None, source=_no_d),
        adv_levels=dict(key=None, source=_no_d),
        d_input=dict(key=None, source=_no_d),
        gan_mode=dict(key=None, source=_no_d),
        ent_levels=dict(key='model.aligners.ent_min.levels',
                        value=dict(main=1e-3, aux=2e-4),
                        source='official code (valeoai/ADVENT: advent/'
                        'domain_adaptation/config.py: LAMBDA_ENT_MAIN / '
                        '_AUX)')))
del _no_d
