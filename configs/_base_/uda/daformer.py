# DAFormer's training parts (Hoyer et al., CVPR 2022, Sec. 3.3-3.4) on top
# of the DACS parts (./dacs.py), shared by the full-size DAFormer and MIC
# configs. Give it as a further _base_ (after ./dacs.py); the leaf writes
#   model = dict(teacher=_base_.daformer_teacher, aligners=dict(
#       class_mix=_base_.dacs_class_mix, fd=_base_.daformer_fd))
#   train_dataloader = dict(dataset=dict(
#       source_sampling=_base_.daformer_rcs_gta5))
#   optim_wrapper = {'segmentor': _base_.daformer_optim_wrapper}
#   param_scheduler = {'segmentor': _base_.daformer_scheduler}
#   train_cfg = dict(max_iters=_base_.daformer_iters)
#
# * EMA teacher alpha 0.999 (DACS: 0.99);
# * rare class sampling of source images, T = 0.01, from the converters'
#   sample_class_stats.json;
# * thing-class feature distance to the frozen initial (ImageNet) encoder,
#   lambda_FD 0.005, on the bottleneck features;
# * AdamW lr 6e-5 (decoder 10x), weight decay 0.01; linear warm-up over
#   1500 iterations, then poly power 1; 40k iterations, batch 2 + 2.
daformer_iters = 40000
daformer_warmup_iters = 1500
daformer_teacher = dict(alpha=0.999)
daformer_fd = dict(type='ThingFeatureDistance',
                   weight=0.005,
                   feature_index=-1,
                   min_ratio=0.75)
daformer_rcs_gta5 = dict(type='RareClassSampling',
                         stats_file='data/gta/sample_class_stats.json',
                         temperature=0.01)
daformer_rcs_synthia = dict(type='RareClassSampling',
                            stats_file='data/synthia/sample_class_stats.json',
                            temperature=0.01)
daformer_optim_wrapper = dict(type='OptimWrapper',
                              optimizer=dict(type='AdamW',
                                             lr=6e-5,
                                             betas=(0.9, 0.999),
                                             weight_decay=0.01),
                              clip_grad=None,
                              paramwise_cfg=dict(custom_keys={
                                  'decode_head': dict(lr_mult=10.0),
                              }))
daformer_scheduler = [
    dict(type='LinearLR',
         start_factor=1e-6,
         by_epoch=False,
         begin=0,
         end=daformer_warmup_iters),
    dict(type='PolyLR',
         power=1.0,
         eta_min=0.0,
         by_epoch=False,
         begin=daformer_warmup_iters,
         end=daformer_iters),
]

_notes = ('paper (DAFormer, as summarised in '
          '../shared/notes/modern-self-training.md)')
daformer_card_values = dict(
    teacher_alpha=dict(key='model.teacher.alpha', value=0.999,
                       source=_notes),
    g_lr=dict(key='optim_wrapper.segmentor.optimizer.lr',
              value=6e-5,
              source=_notes + ': AdamW'),
    g_weight_decay=dict(key='optim_wrapper.segmentor.optimizer.weight_decay',
                        value=0.01,
                        source=_notes),
    head_lr_mult=dict(key='optim_wrapper.segmentor.paramwise_cfg.'
                      'custom_keys.decode_head.lr_mult',
                      value=10.0,
                      source=_notes + ': decoder 10x'),
    warmup_iters=dict(key='param_scheduler.segmentor[0].end',
                      value=1500,
                      source=_notes + ': linear warm-up'),
    poly_power=dict(key='param_scheduler.segmentor[1].power',
                    value=1.0,
                    source=_notes),
    max_iters=dict(key='train_cfg.max_iters', value=40000, source=_notes),
    rcs_temperature=dict(key='train_dataloader.dataset.source_sampling.'
                         'temperature',
                         value=0.01,
                         source=_notes),
    fd_weight=dict(key='model.aligners.fd.weight', value=0.005,
                   source=_notes),
    fd_thing_cells=dict(key='model.aligners.fd.min_ratio',
                        value=0.75,
                        source='decision: a feature cell is a thing pixel '
                        'when one thing class covers >= 75% of it (the '
                        'paper downsamples the label, no ratio given)'),
    encoder=dict(key='model.segmentor.backbone.num_layers',
                 value=[3, 6, 40, 3],
                 source=_notes + ': MiT-B5'),
    encoder_init=dict(key='model.segmentor.backbone.init_cfg.checkpoint',
                      value=('https://download.openmmlab.com/mmsegmentation/'
                             'v0.5/pretrain/segformer/'
                             'mit_b5_20220624-658746d9.pth'),
                      source='decision: MMSeg\'s zoo MiT-B5 ImageNet-1k '
                      'weights (the paper: ImageNet-1k pretrained MiT-B5)'),
    decoder_dims=dict(key='model.segmentor.decode_head.embed_dims',
                      value=256,
                      source=_notes),
    fusion_dilations=dict(key='model.segmentor.decode_head.dilations',
                          value=(1, 6, 12, 18),
                          source=_notes))
del _notes
