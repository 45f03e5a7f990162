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
_base_ = ['./_base_/two_step_synthetic.py', '../_base_/uda/sim.py']

model = dict(aligners=dict(
    sim=dict(_base_.sim_aligner, feat_channels=128),
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
                   active=False)))
custom_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(name='sim',
                  iters=_base_.step_iters,
                  aligners=dict(pseudo_ce=dict(active=False),
                                sim=dict(lambda_stuff=0.01,
                                         lambda_instance=0.01))),
             dict(name='sim_ssl',
                  iters=_base_.step_iters,
                  aligners=dict(pseudo_ce=dict(active=True),
                                sim=dict(lambda_stuff=0.001,
                                         lambda_instance=0.001))),
         ]),
    dict(_base_.pseudo_label_hook, stage='sim_ssl'),
]
