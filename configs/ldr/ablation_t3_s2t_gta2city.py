# Table 3, row "S->T" (R): source images translated to the target style
# (BDL-style CycleGAN source->target), raw Cityscapes as target, output-space
# adversarial only, no reconstruction. `source_s2t_root` holds the
# translated GTA5 images in the GTA5 layout (images/, labels/).
_base_ = ['../adaptsegnet/deeplabv2_gta2city.py']
source_s2t_root = 'data/gta_s2t_cityscapes/'
train_dataloader = dict(dataset=dict(source=dict(data_root=source_s2t_root)))
model = dict(aligners=dict(output_adv=dict(levels=dict(_delete_=True,
                                                       main=1e-3))))
