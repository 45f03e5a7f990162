# ./cyclegan_cityscapes2synthia.py with BDL's recipe (Adam 2e-4, batch 4,
# 10 + 10 epochs with a linear decay; see ./cyclegan_cityscapes2gta_bdl-
# recipe.py). An epoch is one pass over SYNTHIA: 2350 iterations at batch
# 4, so 10 + 10 epochs = 23500 + 23500 iterations.
_base_ = ['./cyclegan_cityscapes2gta_bdl-recipe.py']

iters_per_epoch = 2350  # ceil(9400 / 4)
decay_begin = 10 * iters_per_epoch
max_iters = 20 * iters_per_epoch
synthia_source = dict(type='SynthiaDataset',
                      data_root='data/synthia/',
                      data_prefix=dict(img_path='RGB'),
                      pipeline=_base_.translation_pipeline)
train_dataloader = dict(dataset=dict(source=dict(_delete_=True,
                                                 **synthia_source)))
linear_decay = [
    dict(type='LinearLR',
         start_factor=1.0,
         end_factor=0.0,
         begin=decay_begin,
         end=max_iters,
         by_epoch=False)
]
param_scheduler = dict(_delete_=True,
                       generators=linear_decay,
                       discriminators=linear_decay)
train_cfg = dict(max_iters=max_iters)
default_hooks = dict(checkpoint=dict(interval=iters_per_epoch))
recipe_card = dict(
    row='target-to-source translation F (Sec. 3.2), Cityscapes -> SYNTHIA',
    task='Cityscapes -> SYNTHIA style',
    values=dict(
        lr_halving=dict(value=dict(begin=23500, end=47000)),
        max_iters=dict(value=47000,
                       source='official code (liyunsheng13/BDL: '
                       'cyclegan/readme.md): 20 epochs (decision: an epoch '
                       'is one pass over SYNTHIA at batch 4)')))
