# Demo: BDL-style self-training (SPEC 2, 5) on the synthetic benchmark, the
# real recipe (../selftraining/deeplabv2_gta2city.py) scaled to 1000
# iterations on a CPU:
#   step 1 "adapt"         500 it: single-level output-space adversarial
#                                  alignment (AdaptSegNet / BDL, main level)
#   boundary (PseudoLabelHook): pseudo labels of the target train set by
#                                  the step-1 model -> work_dir/pseudo_labels
#                                  (per-class median confidence, cap 0.9);
#                                  the target dataset reads them from now on
#   step 2 "self_training" 500 it: the same + PseudoLabelCE (weight 1),
#                                  retrained from the initial weights (G and
#                                  D, fresh optimizers, schedules restarted)
# Each step has its own poly schedule over 500 iterations (restarted by the
# hook's reinit='all').
_base_ = ['./adaptsegnet_synthetic.py']

step_iters = 500
max_iters = 2 * step_iters
model = dict(
    # single-level DeepLab-v2 as in BDL: one classifier on the last stage
    segmentor=dict(auxiliary_head=None),
    aligners=dict(output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
                  pseudo_ce=dict(type='PseudoLabelCE',
                                 levels=dict(main=1.0),
                                 active=False)))

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
custom_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(name='adapt',
                  iters=step_iters,
                  aligners=dict(pseudo_ce=dict(active=False))),
             dict(name='self_training',
                  iters=step_iters,
                  aligners=dict(pseudo_ce=dict(active=True))),
         ]),
    dict(type='PseudoLabelHook',
         stage='self_training',
         target_dataset=dict(pipeline=target_pseudo_pipeline),
         reinit='all',
         cap=0.9),
]

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
train_cfg = dict(max_iters=max_iters, val_interval=step_iters)
default_hooks = dict(checkpoint=dict(interval=step_iters, max_keep_ckpts=2))
