# Demo, LDR step 3: adaptation on the synthetic benchmark (SPEC 4.3 at demo
# size). Steps before it:
#   1. configs/demo/translation_synthetic.py + tools/translate_images.py:
#      target images translated to the source style, written to
#      data/synthetic_shift/target_t2s/ in the target's layout;
#   2. configs/demo/ldr_pretrain_m_synthetic.py: M pretrained on the source
#      labels.
# G: the AdaptSegNet demo (output-space D on the main level only, lambda
# 1e-3, paper Eq. (1)) trained on source + translated target, plus the
# LabelReconstruction aligner on both domains with the paper's alpha 1e-3,
# beta 10, T 1e-3, and the pseudo-label term of Eq. (1), in the two steps
# of ../ldr/deeplabv2_gta2city.py scaled to 500 + 500 iterations:
#   step 1 "adapt": Eq. (6) without the pseudo-label term
#   boundary (PseudoLabelHook): pseudo labels of the translated target
#       images by the step-1 model -> work_dir/pseudo_labels (per-class
#       median confidence, cap 0.9); the target dataset reads them
#   step 2 "self_training": + PseudoLabelCE (weight 1), retrained from the
#       initial weights (G, M back to its pretrained weights, D, D_k; fresh
#       optimizers, schedules restarted: reinit='all')
# Demo sizes: M / D_k with 16 base channels and 3 residual blocks,
# reconstruction at half size; the VGG-19 term is off (download + CPU
# time, see ldr_pretrain_m_synthetic.py).
_base_ = ['./adaptsegnet_synthetic.py']

step_iters = 500

target_t2s_root = 'data/synthetic_shift/target_t2s'
m_checkpoint = 'work_dirs/ldr_pretrain_m_synthetic/iter_500.pth'

train_dataloader = dict(dataset=dict(target=dict(data_root=target_t2s_root)))
model = dict(aligners=dict(
    output_adv=dict(levels=dict(_delete_=True, main=1e-3)),
    # switched on for step 2 by the UDAStageHook below
    pseudo_ce=dict(type='PseudoLabelCE', levels=dict(main=1.0),
                   active=False),
    ldr=dict(type='LabelReconstruction',
             num_classes=19,
             level='main',
             domains=('source', 'target'),
             temperature=1e-3,
             adv_weight=1e-3,
             rec_weight=10.0,
             gan_mode='bce',
             rec_scale=0.5,
             # the demo network's data_preprocessor
             input_norm=dict(mean=[123.675, 116.28, 103.53],
                             std=[58.395, 57.12, 57.375],
                             bgr_to_rgb=True),
             reconstructor=dict(type='ResnetGenerator',
                                base_channels=16,
                                num_blocks=3,
                                norm_cfg=dict(type='IN'),
                                init_cfg=dict(type='Pretrained',
                                              checkpoint=m_checkpoint,
                                              prefix='reconstructor.')),
             discriminator=dict(type='MultiScalePatchDiscriminator',
                                num_scales=3,
                                discriminator=dict(type='PatchDiscriminator',
                                                   base_channels=16,
                                                   num_layers=3,
                                                   norm_cfg=dict(type='IN'))),
             perceptual_loss=None,
             feature_matching_loss=dict(type='FeatureMatchingLoss'))))
gan_optim_wrapper = dict(type='OptimWrapper',
                         optimizer=dict(type='Adam',
                                        lr=2e-4,
                                        betas=(0.5, 0.999)))
optim_wrapper = {
    'ldr.reconstructor': gan_optim_wrapper,
    'ldr.discriminator': gan_optim_wrapper,
}

# Step 2 target data: the labels are loaded AFTER Resize, so they keep the
# resolution they were written at (the original image size, here equal to
# the training size) and PseudoLabelCE upsamples the logits to it.
target_pseudo_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale={{_base_.target_scale}}, keep_ratio=False),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMap', num_classes=19),
    dict(type='PackSegInputs'),
]
custom_hooks = [
    dict(type='UDAStageHook',
         stages=[
             dict(name='adapt',
                  iters=step_iters,
                  aligners=dict(pseudo_ce=dict(active=False))),
             dict(name='self_training',
                  iters=step_iters,
                  aligners=dict(pseudo_ce=dict(active=True))),
         ]),
    dict(type='PseudoLabelHook',
         stage='self_training',
         target_dataset=dict(pipeline=target_pseudo_pipeline),
         reinit='all',
         cap=0.9),
]

# One poly curve per step for every network (restarted by reinit='all').
step_poly = [
    dict(type='PolyLR',
         power=0.9,
         eta_min=0.0,
         begin=0,
         end=step_iters,
         by_epoch=False)
]
param_scheduler = {
    '_delete_': True,
    'segmentor': step_poly,
    'output_adv.discriminators': step_poly,
    'ldr.reconstructor': step_poly,
    'ldr.discriminator': step_poly,
}
train_cfg = dict(max_iters=2 * step_iters, val_interval=step_iters)
default_hooks = dict(checkpoint=dict(interval=step_iters, max_keep_ckpts=2))
