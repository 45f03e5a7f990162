# Demo: source-only training on the synthetic benchmark's source domain,
# evaluated on its target domain (the README's first command).
_base_ = [
    '../_base_/models/deeplabv2_r18-w16.py',
    '../_base_/datasets/synthetic_shift.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_demo.py',
]
randomness = dict(seed=0)
