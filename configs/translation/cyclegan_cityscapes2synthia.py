# LDR step 1 for SYNTHIA -> Cityscapes: CycleGAN translating Cityscapes
# (domain A) to the SYNTHIA style (domain B); the recipe of
# ./cyclegan_cityscapes2gta.py with SYNTHIA-RAND-CITYSCAPES as the source
# (RGB/, 9400 images of 1280x760, scaled to 1024x608 before the crop).
# An epoch is one pass over SYNTHIA: 2350 iterations at batch 4, so
# 10 + 10 epochs = 23500 + 23500 iterations.
# Commands:
#   python tools/train_translation.py \
#       configs/translation/cyclegan_cityscapes2synthia.py
#   python tools/translate_images.py \
#       configs/translation/cyclegan_cityscapes2synthia.py \
#       work_dirs/cyclegan_cityscapes2synthia/iter_47000.pth \
#       --src data/cityscapes/leftImg8bit \
#       --out data/cityscapes_t2s_synthia/leftImg8bit
# read by ../ldr/*_syn2city.py (data/cityscapes_t2s_synthia/).
_base_ = ['./cyclegan_cityscapes2gta.py']

iters_per_epoch = 2350  # ceil(9400 / 4)
decay_begin = 10 * iters_per_epoch
max_iters = 20 * iters_per_epoch

train_dataloader = dict(dataset=dict(source=dict(
    _delete_=True,
    type='SynthiaDataset',
    data_root='data/synthia/',
    data_prefix=dict(img_path='RGB'),
    pipeline={{_base_.translation_pipeline}})))
linear_decay = [
    dict(type='LinearLR',
         start_factor=1.0,
         end_factor=0.0,
         begin=decay_begin,
         end=max_iters,
         by_epoch=False)
]
param_scheduler = dict(generators=linear_decay, discriminators=linear_decay)
train_cfg = dict(max_iters=max_iters)
default_hooks = dict(checkpoint=dict(interval=iters_per_epoch))
