# Demo: single-level AdaptSegNet on the synthetic benchmark, the global
# stage of ./globallocal_synthetic.py run to the end (global-local paper,
# Table 3, S1: its AdaptSegNet rows are single-level, lambda_adv 1e-3).
# One output-space D on the main softmax; no auxiliary head (AdaptSegNet's
# single-level run gives the aux classifier no loss at all).
_base_ = ['./adaptsegnet_synthetic.py']

model = dict(segmentor=dict(auxiliary_head=None),
             aligners=dict(output_adv=dict(levels=dict(_delete_=True,
                                                       main=1e-3))))
