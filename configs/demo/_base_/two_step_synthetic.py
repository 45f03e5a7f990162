# Shared by the two-step demos on the synthetic benchmark (self-training,
# SIM, LDR): the AdaptSegNet demo with the discriminator on the main output
# only (lambda 1e-3, the recipe of BDL, SIM and LDR), 500 + 500 iterations,
# and the parts of the step boundary every method has in common. A leaf
#   * adds its aligners (one of them `pseudo_ce=dict(type='PseudoLabelCE',
#     levels=dict(main=1.0), active=False)`),
#   * sets custom_hooks = [UDAStageHook with its two stages (or
#     `_base_.self_training_stages`),
#     dict(_base_.pseudo_label_hook, stage=<name of step 2>)],
#   * adds schedules for its extra optimizers (`_base_.step_poly`).
_base_ = ['../adaptsegnet_synthetic.py']

step_iters = 500

model = dict(aligners=dict(output_adv=dict(levels=dict(_delete_=True,
                                                       main=1e-3))))

# Step 2 target data: the labels are loaded AFTER Resize, so they keep the
# resolution they were written at (the original image size, here equal to
# the training size) and PseudoLabelCE upsamples the logits to it.
target_pseudo_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale={{_base_.target_scale}}, keep_ratio=False),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='PackSegInputs'),
]
# At the boundary: pseudo labels of the target train set by the step-1
# model -> work_dir/pseudo_labels (per-class median confidence, cap 0.9),
# read by the target dataset from then on; every network, buffer,
# optimizer state and schedule back to the start (reinit='all').
pseudo_label_hook = dict(type='PseudoLabelHook',
                         target_dataset=dict(pipeline=target_pseudo_pipeline),
                         reinit='all',
                         cap=0.9)

# The stages of BDL-style self-training (the self-training and LDR demos).
self_training_stages = [
    dict(name='adapt',
         iters=step_iters,
         aligners=dict(pseudo_ce=dict(active=False))),
    dict(name='self_training',
         iters=step_iters,
         aligners=dict(pseudo_ce=dict(active=True))),
]

# One poly curve per step for every network (restarted by reinit='all').
step_poly = [
    dict(type='PolyLR',
         power=0.9,
         eta_min=0.0,
         begin=0,
         end=step_iters,
         by_epoch=False)
]
param_scheduler = {
    '_delete_': True,
    'segmentor': step_poly,
    'output_adv.discriminators': step_poly,
}
train_cfg = dict(max_iters=2 * step_iters, val_interval=step_iters)
default_hooks = dict(checkpoint=dict(interval=step_iters, max_keep_ckpts=2))
