# Table 3, row "T->S" (R): target images translated to the source style,
# output-space adversarial only, no reconstruction (the full method,
# T->S + reconstruction, is ./deeplabv2_gta2city.py).
_base_ = ['../adaptsegnet/deeplabv2_gta2city.py']
target_t2s_root = 'data/cityscapes_t2s_gta5/'
train_dataloader = dict(dataset=dict(target=dict(data_root=target_t2s_root)))
model = dict(aligners=dict(output_adv=dict(levels=dict(_delete_=True,
                                                       main=1e-3))))
