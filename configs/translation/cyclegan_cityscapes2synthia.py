# LDR step 1 for SYNTHIA -> Cityscapes: CycleGAN translating Cityscapes
# (domain A) to the SYNTHIA style (domain B); the LDR recipe of
# ./cyclegan_cityscapes2gta.py (Adam 1e-4 halved every 100k, weight decay
# 1e-4, 1000k iterations, batch 1) with SYNTHIA-RAND-CITYSCAPES as the
# source (RGB/, 9400 images of 1280x760, scaled to 1024x608 before the
# crop). BDL's recipe: ./cyclegan_cityscapes2synthia_bdl-recipe.py.
# Commands:
#   python tools/train_translation.py \
#       configs/translation/cyclegan_cityscapes2synthia.py
#   python tools/translate_images.py \
#       configs/translation/cyclegan_cityscapes2synthia.py \
#       work_dirs/cyclegan_cityscapes2synthia/iter_1000000.pth \
#       --src data/cityscapes/leftImg8bit \
#       --out data/cityscapes_t2s_synthia/leftImg8bit
# read by ../ldr/*_syn2city.py (data/cityscapes_t2s_synthia/, train and val).
_base_ = ['./cyclegan_cityscapes2gta.py']

synthia_source = dict(type='SynthiaDataset',
                      data_root='data/synthia/',
                      data_prefix=dict(img_path='RGB'),
                      pipeline=_base_.translation_pipeline)
train_dataloader = dict(dataset=dict(source=dict(_delete_=True,
                                                 **synthia_source)))
recipe_card = dict(
    row='target-to-source translation F (Sec. 3.2), Cityscapes -> SYNTHIA',
    task='Cityscapes -> SYNTHIA style')
