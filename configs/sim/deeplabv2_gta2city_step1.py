# SIM step 1 only (stuff and instance matching, SPEC 4.4; paper Eqn 12),
# DeepLab-v2 ResNet-101, GTA5 -> Cityscapes. The paper's Table 2 row "+SIM"
# (AA + IT + SIM, 46.2 mIoU), the base of the Table 3 / 4 ablations and of
# the whole method ./deeplabv2_gta2city.py (step 1 + pseudo labels + step 2,
# Table 2 row "+SSL"):
#   * network = the SIM code's: single-level (no auxiliary head; the
#     official model returns the res5 feature and the main logits only) and
#     the 2-branch DeepLab-v2 classifier (dilations 6, 12: the summation bug
#     its published numbers were trained with; (6, 12, 18, 24) for the
#     paper's 4-branch ASPP). The SIM classifier check applies this head to
#     1x1 mean features, i.e. its centre taps.
#   * AA: one output-space FCDiscriminator on the main softmax, lambda 1e-3.
#   * IT: CycleGAN-translated GTA5 (BDL's source->target images) as the
#     source, in the GTA5 layout under `source_s2t_root` (images/ +
#     the original labels/). Point it back at data/gta/ to train without IT.
#   * SIM: res5 features (2048 ch), banks of 50 per stuff / 500 per thing
#     class, 10 largest instances, lambda_stuff = lambda_instance = 0.01.
#   * 250k poly horizon, stopped at 200k like the official script; G's
#     SGD with Nesterov momentum (paper Sec. 6.1; the code: plain).
# Init: the official code's ImageNet+COCO DeepLab init (inherited from the
# AdaptSegNet config: pretrain/deeplabv2_init-imagenet-coco.pth, made by
# tools/model_converters/deeplabv2_init.py; the zoo caffe R101 when absent).
_base_ = [
    '../adaptsegnet/deeplabv2_gta2city.py',
    '../_base_/uda/sim.py',
]

source_s2t_root = 'data/gta_s2t_cityscapes/'
train_dataloader = dict(dataset=dict(source=dict(data_root=source_s2t_root)))

model = dict(
    segmentor=dict(decode_head=dict(dilations=(6, 12)), auxiliary_head=None),
    aligners=dict(
        output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
        sim=dict(_base_.sim_aligner,
                 feat_channels=2048,
                 stuff_classes=(0, 1, 2, 3, 4, 8, 9, 10),
                 thing_classes=(5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18),
                 connectivity=8)))
train_cfg = dict(max_iters=200000)

# The paper's SGD is Nesterov (Sec. 6.1); the official train_sim.py uses
# plain momentum. The paper wins (rule of issue 20); nesterov=False gives
# the code's optimizer.
optim_wrapper = dict(segmentor=dict(optimizer=dict(nesterov=True)))

_sim = ('official code (SHI-Labs/Unsupervised-Domain-Adaptation-with-'
        'Differential-Treatment: train_sim.py)')
_paper = 'paper (SIM, Sec. 6'
_sim_key = 'model.aligners.sim.'
recipe_card = dict(
    paper='SIM (Wang et al., CVPR 2020)',
    row='Table 2, "+ SIM" (AA + IT + SIM), ResNet-101',
    paper_miou=46.2,
    values=dict(
        g_lr=dict(source=_paper + '.1): SGD 2.5e-4, poly 0.9)'),
        g_momentum=dict(source=_paper + '.1): momentum 0.9)'),
        g_nesterov=dict(key='optim_wrapper.segmentor.optimizer.nesterov',
                        value=True,
                        source=_paper + '.1): Nesterov; the official code '
                        'uses plain momentum)'),
        g_weight_decay=dict(source=_paper + '.1): 5e-4)'),
        head_lr_mult=dict(source=_sim + ', optim_parameters: 10x'),
        d_lr=dict(source=_paper + '.1): Adam 1e-4, (0.9, 0.99), poly)'),
        d_betas=dict(source=_paper + '.1))'),
        poly_horizon=dict(source=_sim + ': num_steps 250000'),
        max_iters=dict(value=200000,
                       source=_sim + ': num_steps_stop 200000'),
        adv_levels=dict(value=dict(_delete_=True, main=1e-3),
                        source=_sim + ': lambda_adv_target 1e-3, one D on '
                        'the main softmax (Sec. 5.1 agrees)'),
        aux_seg_weight=dict(key='model.segmentor.auxiliary_head',
                            value=None,
                            source=_sim + ' (model/deeplab_multi.py '
                            'DeeplabMultiFeature: single classifier)'),
        aspp_dilations=dict(source=_sim + ' (the 2-branch return its '
                            'published numbers were trained with)'),
        init=dict(source=_sim + ': --restore-from DeepLab init, ImageNet + '
                  'COCO; fallback: the zoo caffe R101'),
        source_images=dict(key='train_dataloader.dataset.source.data_root',
                           value='data/gta_s2t_cityscapes/',
                           source=_paper + '.2, IT): BDL\'s CycleGAN-'
                           'translated GTA5'),
        lambda_stuff=dict(key=_sim_key + 'lambda_stuff',
                          value=0.01,
                          source=_paper + '.2, Table 3: lambda_ci 0.01)'),
        lambda_instance=dict(key=_sim_key + 'lambda_instance',
                             value=0.01,
                             source=_paper + '.2, Table 3)'),
        stuff_bank=dict(key=_sim_key + 'stuff_bank_size',
                        value=50,
                        source=_paper + '.2, Table 4: w = 50)'),
        thing_bank=dict(key=_sim_key + 'thing_bank_size',
                        value=500,
                        source=_paper + ', Algorithm 1: z * w, z = 10)'),
        max_instances=dict(key=_sim_key + 'max_instances',
                           value=10,
                           source=_paper + '.2: 10 instances per class)'),
        stuff_classes=dict(key=_sim_key + 'stuff_classes',
                           value=(0, 1, 2, 3, 4, 8, 9, 10),
                           source=_paper + '.2: road ... sky are '
                           'background)'),
        sim_feature=dict(key=_sim_key + 'feat_channels',
                         value=2048,
                         source=_sim + ': res5 features'),
        model_selection=dict(source='decision: the last checkpoint (the '
                             'official code picks BestGTA5.pth on val, an '
                             'oracle choice)'),
    ))
del _sim, _paper, _sim_key
