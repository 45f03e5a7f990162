# Demo: BDL's two chained self-training rounds (M_2, the recipe of
# ../selftraining/deeplabv2_bdl-m2-2_gta2city.py) on the synthetic
# benchmark, 500 iterations per step on a CPU:
#   adapt           500 it: single-level output-space adversarial alignment
#   self_training   500 it: labels by the adapt model -> pseudo_labels_round1,
#                           + PseudoLabelCE, retrained from the initial weights
#   self_training_2 500 it: labels by the round-1 model -> pseudo_labels_round2,
#                           retrained from the initial weights again
# The synthetic source is not translated (no released translations here).
_base_ = ['./selftraining_synthetic.py']

custom_hooks = [
    dict(type='UDAStageHook',
         stages=_base_.self_training_stages + [
             dict(name='self_training_2',
                  iters=_base_.step_iters,
                  aligners=dict(pseudo_ce=dict(active=True)))
         ]),
    dict(_base_.pseudo_label_hook,
         stage='self_training',
         out_subdir='pseudo_labels_round1'),
    dict(_base_.pseudo_label_hook,
         stage='self_training_2',
         out_subdir='pseudo_labels_round2'),
]
train_cfg = dict(max_iters=3 * _base_.step_iters)
