# ADVENT's AdvEnt + MinEnt, DeepLab-v2 ResNet-101, GTA5 -> Cityscapes:
# entropy-map discriminators (main 1e-3, aux 2e-4) plus direct entropy
# minimisation of the target prediction (lambda_ent main 1e-3, aux 2e-4),
# trained jointly for 120k. Note: the paper's "AdvEnt+MinEnt" row averages
# the predictions of two separately trained models; this config instead
# optimises both terms in one model (our decision, noted in the report).
_base_ = ['./deeplabv2_gta2city.py']

model = dict(aligners=dict(ent_min=dict(type='EntropyMinimization',
                                        levels=dict(main=1e-3, aux=2e-4))))
