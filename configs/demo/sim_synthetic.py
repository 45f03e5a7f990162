# Demo: SIM, the whole method (SPEC 4.4) on the synthetic benchmark in one
# run, the recipe of ../sim/deeplabv2_gta2city.py scaled to 1000 iterations
# on a CPU:
#   step 1 "sim"     500 it: the AdaptSegNet demo with the discriminator on
#       the main output only (lambda 1e-3, the SIM recipe) plus
#       StuffInstanceMatching on the demo network's last stage (128
#       channels, stride 8) with the paper's settings: banks of 50 per
#       stuff / 500 per thing class, 10 largest instances, the classifier
#       check with G's main head, lambdas 0.01
#   boundary (PseudoLabelHook): pseudo labels of the target train set by
#       the step-1 model -> work_dir/pseudo_labels (per-class median
#       confidence, cap 0.9); the target dataset reads them from now on
#   step 2 "sim_ssl" 500 it: the same with lambdas 0.001 + PseudoLabelCE
#       (weight 1, main output), retrained from the initial weights (G, D
#       and the empty SIM banks restored, fresh optimizers, schedules
#       restarted: reinit='all')
# The benchmark draws stuff (road, sidewalk, building, fence, vegetation,
# sky) and things (pole, sign, person, car). The demo network keeps its
# auxiliary head (a CE term only); translation (IT) is not part of the demo.
_base_ = ['./adaptsegnet_synthetic.py']

step_iters = 500
model = dict(aligners=dict(
    output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
    sim=dict(type='StuffInstanceMatching',
             feat_channels=128,
             feature_index=-1,
             level='main',
             stuff_bank_size=50,
             thing_bank_size=500,
             max_instances=10,
             lambda_stuff=0.01,
             lambda_instance=0.01,
             classifier_check=True),
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
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
             dict(name='sim',
                  iters=step_iters,
                  aligners=dict(pseudo_ce=dict(active=False),
                                sim=dict(lambda_stuff=0.01,
                                         lambda_instance=0.01))),
             dict(name='sim_ssl',
                  iters=step_iters,
                  aligners=dict(pseudo_ce=dict(active=True),
                                sim=dict(lambda_stuff=0.001,
                                         lambda_instance=0.001))),
         ]),
    dict(type='PseudoLabelHook',
         stage='sim_ssl',
         target_dataset=dict(pipeline=target_pseudo_pipeline),
         reinit='all',
         cap=0.9),
]

# One poly curve per step (restarted by reinit='all').
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
