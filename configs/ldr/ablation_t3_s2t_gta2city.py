# Table 3, row "S->T" (R, 48.5 mIoU = BDL's published result): source
# images translated to the target style (BDL-style CycleGAN source->target),
# raw Cityscapes as target, output-space adversarial + the pseudo-label term
# of Eq. (1) (the two steps of ./deeplabv2_gta2city.py: 80k, labels of the
# raw target images by that model, 120k with PseudoLabelCE from the initial
# weights), no reconstruction. `source_s2t_root` holds the translated GTA5
# images in the GTA5 layout (images/, labels/).
_base_ = [
    '../adaptsegnet/deeplabv2_gta2city.py',
    '../_base_/uda/pseudo_label_self_training.py',
]
source_s2t_root = 'data/gta_s2t_cityscapes/'
train_dataloader = dict(dataset=dict(source=dict(data_root=source_s2t_root)))
model = dict(aligners=dict(
    output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
                   active=False)))
train_cfg = dict(max_iters=200000)  # 80k + 120k
