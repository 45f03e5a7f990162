# Two-step self-training with pseudo labels (SPEC 5; BDL's SSL round) for
# UDA configs whose target is Cityscapes-sized (trained at 1024x512). Give
# it as a second _base_ next to a method config, which then
#   * adds `pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
#     active=False)` to model.aligners (this file cannot: `model` belongs
#     to the method config), and
#   * sets train_cfg.max_iters = adapt_iters + self_training_iters.
# The run:
#   step 1 "adapt"          80k it: the method's losses, no pseudo labels
#   boundary (PseudoLabelHook, after iteration 80k, i.e. after
#       iter_80000.pth, the step-1 model, is saved): pseudo labels of the
#       images of train_dataloader.dataset.target (whatever folder it reads,
#       e.g. translated images) by the step-1 model at 1024x512, softmax
#       upsampled to the label size 1024x512, per-class threshold = median
#       confidence of the class's pixels, capped at 0.9; written to
#       <work_dir>/pseudo_labels/, and the target dataset reads them
#   step 2 "self_training" 120k it: the same losses + PseudoLabelCE,
#       retrained FROM THE INITIAL WEIGHTS (BDL README / issue #37):
#       reinit='all' restores every network (and buffer), clears the
#       optimizer states and restarts the schedules as a fresh run.
# 80k / 120k: BDL's README (80k without SSL, 120k with SSL).
adapt_iters = 80000
self_training_iters = 120000

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
    dict(type='UDAStageHook',
         stages=[
             dict(name='adapt',
                  iters=adapt_iters,
                  aligners=dict(pseudo_ce=dict(active=False))),
             dict(name='self_training',
                  iters=self_training_iters,
                  aligners=dict(pseudo_ce=dict(active=True))),
         ]),
    dict(type='PseudoLabelHook',
         stage='self_training',
         target_dataset=dict(pipeline=target_pseudo_pipeline),
         label_scale=(1024, 512),
         cap=0.9,
         reinit='all'),
]

# BDL's M_2: two self-training rounds chained in one run (a leaf sets
# custom_hooks = _base_.bdl_two_round_hooks and max_iters = adapt_iters +
# self_training_iters + ssl_round2_iters). Round k labels the target with
# the model at its boundary into <work_dir>/pseudo_labels_round<k>/ and
# retrains from the init (BDL README: every round passes --init-weights).
ssl_round2_iters = 120000
bdl_two_round_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(name='adapt',
                  iters=adapt_iters,
                  aligners=dict(pseudo_ce=dict(active=False))),
             dict(name='self_training',
                  iters=self_training_iters,
                  aligners=dict(pseudo_ce=dict(active=True))),
             dict(name='self_training_2',
                  iters=ssl_round2_iters,
                  aligners=dict(pseudo_ce=dict(active=True))),
         ]),
] + [
    dict(type='PseudoLabelHook',
         stage=stage,
         out_subdir=f'pseudo_labels_round{k}',
         target_dataset=dict(pipeline=target_pseudo_pipeline),
         label_scale=(1024, 512),
         cap=0.9,
         reinit='all')
    for k, stage in ((1, 'self_training'), (2, 'self_training_2'))
]

# Step 2 on its own, with labels generated elsewhere into DIR (e.g.
# tools/generate_pseudo_labels.py CONFIG CHECKPOINT --out DIR): in the leaf
# config set
#   train_dataloader = dict(dataset=dict(target=dict(
#       data_prefix=dict(seg_map_path=DIR),
#       seg_map_suffix='_pseudoTrainIds.png',
#       pipeline={{_base_.target_pseudo_pipeline}})))
#   custom_hooks = []
#   model.aligners.pseudo_ce.active = True, train_cfg.max_iters = 120000
# (the last two also work as --cfg-options).

# Recipe-card values of the self-training round (tools/recipe_card.py); a
# leaf merges them into its card: values=dict(_base_.ssl_card_values, ...).
_bdl = 'official code (liyunsheng13/BDL'
_stages = 'custom_hooks[type=UDAStageHook].stages'
_hook = 'custom_hooks[type=PseudoLabelHook]'
ssl_card_values = dict(
    adapt_iters=dict(key=_stages + '[name=adapt].iters',
                     value=80000,
                     source=_bdl + ': README, 80k without SSL)'),
    ssl_iters=dict(key=_stages + '[name=self_training].iters',
                   value=120000,
                   source=_bdl + ': README, 120k with SSL)'),
    ssl_from_init=dict(key=_hook + '.reinit',
                       value='all',
                       source=_bdl + ': README passes --init-weights again; '
                       'issue #37: the SSL round restarts from the init)'),
    pseudo_label_cap=dict(key=_hook + '.cap',
                          value=0.9,
                          source=_bdl + ': SSL.py, per-class median '
                          'confidence capped at 0.9; issues #8, #50)'),
    pseudo_label_scale=dict(key=_hook + '.label_scale',
                            value=(1024, 512),
                            source=_bdl + ': SSL.py, probabilities '
                            'upsampled to 512x1024)'),
    pseudo_ce_weight=dict(key='model.aligners.pseudo_ce.levels',
                          value=dict(main=1.0),
                          source=_bdl + ': BDL.py, target CE on the pseudo '
                          'labels, weight 1)'),
)
del _bdl, _stages, _hook
