# Demo: ADVENT (AdvEnt) on the synthetic benchmark: the AdaptSegNet demo
# with the discriminators fed the weighted self-information map
# -p log2 p / log2 C instead of the softmax (main 1e-3, aux 2e-4).
_base_ = ['./adaptsegnet_synthetic.py']

model = dict(aligners=dict(output_adv=dict(input='entropy')))
