# Demo: SIM step 1 (stuff and instance matching, SPEC 4.4) on the synthetic
# benchmark: the AdaptSegNet demo with the discriminator on the main output
# only (lambda 1e-3, the SIM recipe) plus StuffInstanceMatching on the demo
# network's last stage (128 channels, stride 8) with the paper's settings:
# banks of 50 per stuff / 500 per thing class, 10 largest instances, the
# classifier check with G's main head, lambdas 0.01. The benchmark draws
# stuff (road, sidewalk, building, fence, vegetation, sky) and things
# (pole, sign, person, car). The demo network keeps its auxiliary head (a
# CE term only); translation (IT) is not part of the demo.
# Step 2 (pseudo labels + SIM with lambdas 0.001) will follow as a
# pipeline config once PseudoLabelHook / PseudoLabelCE exist.
_base_ = ['./adaptsegnet_synthetic.py']

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
             classifier_check=True)))
