# Table 3, row "T->S" (R, 49.1 mIoU): target images translated to the
# source style, output-space adversarial + the pseudo-label term of Eq. (1)
# (the two steps of ./deeplabv2_gta2city.py; the labels are those of the
# translated images), no reconstruction (the full method, T->S +
# reconstruction, is ./deeplabv2_gta2city.py).
_base_ = [
    '../adaptsegnet/deeplabv2_gta2city.py',
    '../_base_/uda/pseudo_label_self_training.py',
]
target_t2s_root = 'data/cityscapes_t2s_gta5/'
train_dataloader = dict(dataset=dict(target=dict(data_root=target_t2s_root)))
model = dict(aligners=dict(
    output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
                   active=False)))
train_cfg = dict(max_iters=200000)  # 80k + 120k
