# Joint global-local alignment on BDL ("Our BDL", R, Table 1: 49.4),
# DeepLab-v2 ResNet-101, GTA5 -> Cityscapes. The paper: "We use [BDL]
# generated GTA5 to Cityscapes ... image translation results and their
# trained model to generate the pseudo labels. We conduct local alignment
# after conducting global alignment." So the global model is BDL's
# M_2^(2) (../selftraining/deeplabv2_bdl-m2-2_gta2city.py, or the authors'
# released model converted), loaded by `load_from`, and this run is the
# local stage only:
#   iteration 0: pseudo labels of the Cityscapes train images by the loaded
#                model (BDL's per-class median thresholds, cap 0.9) into
#                <work_dir>/pseudo_labels/
#   local_mix 30k it: translated GTA5 CE + PseudoLabelCE on the target +
#                lambda_adv 1e-3 pixel-level D (stride-8 softmax, source
#                background excluded, mixture theta 0.6); global D off; G
#                SGD 2.5e-4 and the pixel D Adam 1e-4 start at their base lr
#   local     50k it: the same with theta 1.0
# Decision (the paper is silent): the pseudo-label term stays on in stage 2
# (BDL's global model was trained with it; dropping it would train stage 2
# on less supervision than its baseline).
_base_ = [
    '../selftraining/deeplabv2_bdl-m2-2_gta2city.py',
    '../_base_/uda/globallocal.py',
]
# BDL's M_2^(2): the last checkpoint of the bdl-m2-2 config
load_from = 'work_dirs/deeplabv2_bdl-m2-2_gta2city/iter_320000.pth'

model = dict(aligners=dict(local_adv=_base_.local_adv))
optim_wrapper = {'local_adv.discriminator': _base_.local_d_optim_wrapper}
param_scheduler = {'local_adv.discriminator': _base_.local_d_scheduler}
custom_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(s, aligners=dict(s['aligners'],
                                   pseudo_ce=dict(active=True)))
             for s in _base_.local_stages_gta5
         ]),
    dict(type='PseudoLabelHook',
         stage='local_mix',
         target_dataset=dict(pipeline=_base_.target_pseudo_pipeline),
         label_scale=(1024, 512),
         cap=0.9),
]
train_cfg = dict(max_iters=_base_.local_iters)

_na = 'decision: not part of this run (the global model is loaded)'
recipe_card = dict(
    paper='Joint global-local alignment (Yarram et al., ICASSP 2022)',
    row='Table 1, "Our BDL", R',
    paper_miou=49.4,
    values=dict(
        _base_.gl_card_values,
        max_iters=dict(value=80000,
                       source='paper (global-local, Sec. 3): 30k + 50k '
                       'from the global model'),
        global_model=dict(key='load_from',
                          value='work_dirs/deeplabv2_bdl-m2-2_gta2city/'
                          'iter_320000.pth',
                          source='paper (global-local, Sec. 4): BDL\'s '
                          'trained model'),
        pseudo_labels=dict(key='custom_hooks[type=PseudoLabelHook].stage',
                           value='local_mix',
                           source='paper (global-local, Sec. 4): pseudo '
                           'labels by BDL\'s model, at iteration 0'),
        pseudo_ce_in_stage2=dict(
            key='custom_hooks[type=UDAStageHook].stages[name=local_mix]'
            '.aligners.pseudo_ce.active',
            value=True,
            source='decision: BDL\'s SSL term kept in stage 2'),
        ssl_from_init=dict(_delete_=True,
                           key='custom_hooks[type=PseudoLabelHook].reinit',
                           value=None,
                           source='paper (global-local, Sec. 3): stage 2 '
                           'continues from the global model'),
        adapt_iters=dict(_delete_=True, key=None, source=_na),
        ssl_iters=dict(_delete_=True, key=None, source=_na),
        ssl_round2_iters=dict(_delete_=True, key=None, source=_na),
        round2_from_init=dict(_delete_=True, key=None, source=_na),
        pseudo_label_cap=dict(key='custom_hooks[type=PseudoLabelHook].cap'),
        pseudo_label_scale=dict(
            key='custom_hooks[type=PseudoLabelHook].label_scale'),
    ))
del _na
