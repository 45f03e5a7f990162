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
