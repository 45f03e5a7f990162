# AdvEnt and MinEnt trained jointly in ONE model, DeepLab-v2 ResNet-101,
# GTA5 -> Cityscapes: entropy-map discriminators (main 1e-3, aux 2e-4)
# plus direct entropy minimisation of the target prediction (lambda_ent
# main 1e-3, aux 2e-4), 120k. A named variant, not a paper row: the
# paper's "AdvEnt+MinEnt" (45.5) averages the softmax of two separately
# trained models, ./deeplabv2_gta2city.py and ./deeplabv2_minent_gta2city.py
# (tools/test.py ... --ensemble, see the README).
_base_ = ['./deeplabv2_gta2city.py']

model = dict(aligners=dict(ent_min=dict(type='EntropyMinimization',
                                        levels=dict(main=1e-3, aux=2e-4))))
recipe_card = dict(row='variant: AdvEnt + MinEnt in one model (no paper '
                   'row)',
                   paper_miou=None)
