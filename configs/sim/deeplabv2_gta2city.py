# SIM, the whole method in ONE run (SPEC 4.4, paper Sec. 4.2 / Eqn 13;
# Table 2 row "+SSL", 49.2 mIoU), DeepLab-v2 ResNet-101, GTA5 -> Cityscapes:
#   step 1 "sim"     200k it: ./deeplabv2_gta2city_step1.py (AA + IT + SIM,
#       lambda_stuff = lambda_instance = 0.01; Table 2 row "+SIM")
#   boundary (PseudoLabelHook, after iteration 200k, i.e. after
#       iter_200000.pth, the step-1 model, is saved): pseudo labels of the
#       Cityscapes train images by the step-1 model at 1024x512, softmax
#       upsampled to the label size 1024x512, per-class threshold = median
#       confidence of the pixels predicted as that class, capped at 0.9
#       (SIM's SSL.py = BDL's); written to <work_dir>/pseudo_labels/, and
#       the target dataset reads them from then on
#   step 2 "sim_ssl" 200k it: the same losses with lambda_stuff =
#       lambda_instance = 0.001, plus PseudoLabelCE (target CE on the pseudo
#       labels, weight 1, main output), retrained FROM THE INITIAL WEIGHTS
#       (paper: "we reinitialize and repeat the training"; the official
#       train_sim_ssl.py restores the ImageNet/COCO init): reinit='all'
#       restores G, D and the (then empty) SIM banks, clears the optimizer
#       states and restarts the poly schedules (250k horizon, stopped at
#       200k like step 1). The hook also calls the aligners' reset_state(),
#       so the banks restart empty whatever `reinit` says.
# Differences from the official code (see README): the labels come from the
# final step-1 model, not from the checkpoint with the best Cityscapes val
# score (model selection on the evaluation split); SIM's target side uses
# the prediction, not Eqn 11's pseudo-label map (`use_pseudo_labels=True`
# on the sim aligner gives Eqn 11).
# Variants: continue step 2 from the step-1 weights with reinit=None (the
# banks are then kept); labels generated elsewhere (e.g.
# tools/generate_pseudo_labels.py from a chosen checkpoint): train step 2
# alone, see the comment at the end.
_base_ = ['./deeplabv2_gta2city_step1.py']

sim_iters = 200000
sim_ssl_iters = 200000
model = dict(aligners=dict(pseudo_ce=dict(
    type='PseudoLabelCE', levels=dict(main=1.0), active=False)))

# Step 2 target data: image resized to 1024x512 as in step 1; the label is
# loaded after Resize and is already 1024x512 (label_scale below), so
# CheckSegMap compares it with the resized image.
target_pseudo_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(1024, 512), keep_ratio=False),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19, shape_key='img_shape'),
    dict(type='PackSegInputs'),
]
custom_hooks = [
    # every stage sets both lambdas, so a resumed run gets them from the
    # iteration alone
    dict(type='UDAStageHook',
         stages=[
             dict(name='sim',
                  iters=sim_iters,
                  aligners=dict(pseudo_ce=dict(active=False),
                                sim=dict(lambda_stuff=0.01,
                                         lambda_instance=0.01))),
             dict(name='sim_ssl',
                  iters=sim_ssl_iters,
                  aligners=dict(pseudo_ce=dict(active=True),
                                sim=dict(lambda_stuff=0.001,
                                         lambda_instance=0.001))),
         ]),
    dict(type='PseudoLabelHook',
         stage='sim_ssl',
         target_dataset=dict(pipeline=target_pseudo_pipeline),
         label_scale=(1024, 512),
         cap=0.9,
         reinit='all'),
]
train_cfg = dict(max_iters=sim_iters + sim_ssl_iters)

# Step 2 on its own (labels already generated into DIR), in a child config:
#   train_dataloader = dict(dataset=dict(target=dict(
#       data_prefix=dict(seg_map_path=DIR),
#       seg_map_suffix='_pseudoTrainIds.png',
#       pipeline={{_base_.target_pseudo_pipeline}})))
#   custom_hooks = [], train_cfg = dict(max_iters=sim_ssl_iters) and
#   model.aligners: pseudo_ce active=True, sim lambdas 0.001.

_sim = ('official code (SHI-Labs/Unsupervised-Domain-Adaptation-with-'
        'Differential-Treatment: train_sim_ssl.py)')
_stages = 'custom_hooks[type=UDAStageHook].stages'
recipe_card = dict(
    row='Table 2, "+ SSL" (AA + IT + SIM + SSL), ResNet-101',
    paper_miou=49.2,
    values=dict(
        max_iters=dict(value=400000,
                       source=_sim + ': 200k per step (num_steps_stop)'),
        step1_iters=dict(key=_stages + '[name=sim].iters',
                         value=200000,
                         source=_sim.replace('_ssl', '') +
                         ': num_steps_stop'),
        step2_iters=dict(key=_stages + '[name=sim_ssl].iters',
                         value=200000,
                         source=_sim + ': num_steps_stop'),
        step2_lambdas=dict(key=_stages + '[name=sim_ssl].aligners.sim',
                           value=dict(lambda_stuff=0.001,
                                      lambda_instance=0.001),
                           source=_sim + ': lambda 1e-3 in the SSL step'),
        labels_from=dict(key='custom_hooks[type=PseudoLabelHook].stage',
                         value='sim_ssl',
                         source='paper (SIM, Sec. 4.2 / 6.2): labels by the '
                         'model of training step 1 (its last weights; the '
                         'official code labels with BestGTA5.pth, chosen '
                         'on val)'),
        step2_from_init=dict(key='custom_hooks[type=PseudoLabelHook].reinit',
                             value='all',
                             source='paper (SIM, Sec. 4.2): "we reinitialize '
                             'and repeat the training"'),
        pseudo_label_cap=dict(key='custom_hooks[type=PseudoLabelHook].cap',
                              value=0.9,
                              source='paper (SIM, Sec. 6.2): per-class median '
                              'capped at 0.9'),
    ))
del _sim, _stages
