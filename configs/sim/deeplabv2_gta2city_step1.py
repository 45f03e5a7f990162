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
#   * 250k poly horizon, stopped at 200k like the official script.
# Init: the official code's ImageNet+COCO DeepLab init (inherited from the
# AdaptSegNet config: pretrain/deeplabv2_init-imagenet-coco.pth, made by
# tools/model_converters/deeplabv2_init.py; the zoo caffe R101 when absent).
_base_ = ['../adaptsegnet/deeplabv2_gta2city.py']

source_s2t_root = 'data/gta_s2t_cityscapes/'
train_dataloader = dict(dataset=dict(source=dict(data_root=source_s2t_root)))

model = dict(
    segmentor=dict(decode_head=dict(dilations=(6, 12)), auxiliary_head=None),
    aligners=dict(
        output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
        sim=dict(type='StuffInstanceMatching',
                 feat_channels=2048,
                 feature_index=-1,
                 level='main',
                 stuff_classes=(0, 1, 2, 3, 4, 8, 9, 10),
                 thing_classes=(5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18),
                 stuff_bank_size=50,
                 thing_bank_size=500,
                 max_instances=10,
                 lambda_stuff=0.01,
                 lambda_instance=0.01,
                 classifier_check=True,
                 connectivity=8)))
train_cfg = dict(max_iters=200000)
