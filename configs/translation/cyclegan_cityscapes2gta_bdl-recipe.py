# The target -> source CycleGAN of ./cyclegan_cityscapes2gta.py trained with
# BDL's recipe instead of the LDR paper's (liyunsheng13/BDL cyclegan readme
# and CycleGAN's defaults): Adam 2e-4, betas (0.5, 0.999), no weight decay,
# batch 4, 10 epochs at the base lr then 10 decaying linearly to 0.
# Decisions: an epoch is one pass over GTA5 (the larger set, 24966 images,
# as CycleGAN's unaligned loader): 6242 iterations at batch 4; the decay is
# per iteration (CycleGAN: per epoch, to 1/11); batch 4 on one GPU (BDL: 1
# per GPU on 4 GPUs; instance norm makes both the same computation).
_base_ = ['./cyclegan_cityscapes2gta.py']

batch_size = 4
iters_per_epoch = 6242  # ceil(24966 / 4)
decay_begin = 10 * iters_per_epoch
max_iters = 20 * iters_per_epoch
train_dataloader = dict(batch_size=batch_size)
adam = dict(type='OptimWrapper',
            optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999)))
optim_wrapper = dict(generators=dict(_delete_=True, **adam),
                     discriminators=dict(_delete_=True, **adam))
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

_bdl = 'official code (liyunsheng13/BDL: cyclegan/readme.md)'
_cg = 'official code (junyanz/pytorch-CycleGAN-and-pix2pix: options)'
recipe_card = dict(
    paper='BDL (Li et al., CVPR 2019), translation recipe',
    values=dict(
        g_lr=dict(value=2e-4, source=_cg + ': lr 2e-4'),
        d_lr=dict(value=2e-4, source=_cg),
        betas=dict(source=_cg + ': beta1 0.5'),
        weight_decay=dict(_delete_=True,
                          key='optim_wrapper.generators.optimizer.'
                          'weight_decay',
                          value=None,
                          source=_cg + ': no weight decay'),
        lr_halving=dict(_delete_=True,
                        key='param_scheduler.generators[0]',
                        value=dict(type='LinearLR',
                                   start_factor=1.0,
                                   end_factor=0.0,
                                   begin=62420,
                                   end=124840,
                                   by_epoch=False),
                        source=_bdl + ': niter 10 + niter_decay 10'),
        max_iters=dict(value=124840,
                       source=_bdl + ': 20 epochs (decision: an epoch is '
                       'one pass over GTA5 at batch 4)'),
        batch=dict(value=4, source=_bdl + ': batch 4 on 4 GPUs'),
    ))
del _bdl, _cg
