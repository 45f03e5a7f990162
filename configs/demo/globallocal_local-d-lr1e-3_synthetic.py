# Demo GL with the local discriminator at 10x the learning rate (1e-3).
# In ./globallocal_synthetic.py the pixel-level D stays at chance in stage 2
# (loss_d_local ~ ln 2 = 0.693 for all 400 local iterations): it starts at
# iteration 600, where the demo's poly schedule has already decayed its lr
# from 1e-4 to ~4.4e-5 (the paper's 250k-iteration horizon leaves 55% of
# the lr at its stage boundary of 120k). This variant tests whether a local
# D that actually learns changes the result.
_base_ = ['./globallocal_synthetic.py']

optim_wrapper = {
    'local_adv.discriminator': dict(optimizer=dict(lr=1e-3)),
}
