# Stuff and instance matching (SIM, Wang et al., CVPR 2020; SPEC 4.4): the
# StuffInstanceMatching aligner with the paper's settings, for the SIM
# configs (../../sim/) and the demo. A leaf adds it to its model next to
# the output-space D and states its feature width:
#   model = dict(aligners=dict(sim=dict(_base_.sim_aligner,
#                                       feat_channels=2048)))
# (this file cannot hold `model`: it belongs to the method config).
# Banks of 50 samples per stuff class and 500 per thing class, the 10
# largest instances per thing class and image, lambda_stuff =
# lambda_instance = 0.01 in step 1 (0.001 in step 2, set by the stage
# list), the classifier check of Algorithm 1 with G's main head, on the
# last feature level (res5 for DeepLab-v2).
sim_aligner = dict(type='StuffInstanceMatching',
                   feature_index=-1,
                   level='main',
                   stuff_bank_size=50,
                   thing_bank_size=500,
                   max_instances=10,
                   lambda_stuff=0.01,
                   lambda_instance=0.01,
                   classifier_check=True)
