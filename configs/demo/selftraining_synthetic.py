# Demo: BDL-style self-training (SPEC 2, 5) on the synthetic benchmark, the
# real recipe (../selftraining/deeplabv2_adaptsegnet-ssl1_gta2city.py)
# scaled to 1000 iterations on a CPU:
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
_base_ = ['./_base_/two_step_synthetic.py']

model = dict(
    # single-level DeepLab-v2 as in BDL: one classifier on the last stage
    segmentor=dict(auxiliary_head=None),
    aligners=dict(pseudo_ce=dict(type='PseudoLabelCE',
                                 levels=dict(main=1.0),
                                 active=False)))
custom_hooks = [
    dict(type='UDAStageHook', stages=_base_.self_training_stages),
    dict(_base_.pseudo_label_hook, stage='self_training'),
]
