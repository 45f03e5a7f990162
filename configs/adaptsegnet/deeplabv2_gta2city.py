# AdaptSegNet (multi-level output-space adversarial alignment), DeepLab-v2
# ResNet-101, GTA5 -> Cityscapes (SPEC 3): FCDiscriminator on the softmax of
# the main (lambda 1e-3) and aux (2e-4) outputs upsampled to the input size,
# BCE, source label 0 / target label 1; D: Adam 1e-4, betas (0.9, 0.99),
# same poly decay as G over the 250k horizon; training stops at 150k
# (the official NUM_STEPS_STOP). The network is the released model's: the
# 2-branch DeepLab-v2 classifier (dilations 6, 12; the official code returns
# inside the 4-branch sum) on res5 and res4, from the ImageNet+COCO DeepLab
# init. The recipe card below says where each value comes from.
_base_ = [
    '../_base_/models/deeplabv2_r101-caffe.py',
    '../_base_/datasets/uda_gta5_to_cityscapes.py',
    '../_base_/uda/adaptsegnet.py',
]
# No crop and no padding (the Runner passes this to the model).
data_preprocessor = dict(size_divisor=1)
model = dict(_delete_=True,
             type='UDASegmentor',
             segmentor=_base_.model,
             aligners=dict(output_adv=_base_.output_adv))
# the released model's classifier: 2 of the 4 DeepLab-v2 branches
for _head in ('decode_head', 'auxiliary_head'):
    model['segmentor'][_head]['dilations'] = (6, 12)
train_cfg = dict(max_iters=150000)
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

# tools/recipe_card.py prints this card and checks it against the config.
_asn = 'official code (wasidennis/AdaptSegNet: train_gta2cityscapes_multi.py)'
_net = 'official code (wasidennis/AdaptSegNet: model/deeplab_multi.py)'
recipe_card = dict(
    paper='AdaptSegNet (Tsai et al., CVPR 2018)',
    row='Table 1, ResNet-101, multi-level',
    task='GTA5 -> Cityscapes',
    paper_miou=42.4,
    metric='mIoU',
    values=dict(
        g_lr=dict(key='optim_wrapper.segmentor.optimizer.lr',
                  value=2.5e-4,
                  source=_asn),
        g_momentum=dict(key='optim_wrapper.segmentor.optimizer.momentum',
                        value=0.9,
                        source=_asn),
        g_weight_decay=dict(
            key='optim_wrapper.segmentor.optimizer.weight_decay',
            value=5e-4,
            source=_asn),
        head_lr_mult=dict(key='optim_wrapper.segmentor.paramwise_cfg.'
                          'custom_keys.decode_head.lr_mult',
                          value=10.0,
                          source=_asn + ', optim_parameters: classifier 10x'),
        d_lr=dict(key="optim_wrapper['output_adv.discriminators']."
                  'optimizer.lr',
                  value=1e-4,
                  source=_asn),
        d_betas=dict(key="optim_wrapper['output_adv.discriminators']."
                     'optimizer.betas',
                     value=(0.9, 0.99),
                     source=_asn),
        poly_horizon=dict(key='param_scheduler.segmentor[0].end',
                          value=250001,
                          source=_asn + ': NUM_STEPS 250000 (PolyLR end '
                          '250001 gives (1 - it / 250000) ** 0.9)'),
        poly_power=dict(key='param_scheduler.segmentor[0].power',
                        value=0.9,
                        source=_asn),
        max_iters=dict(key='train_cfg.max_iters',
                       value=150000,
                       source=_asn + ': NUM_STEPS_STOP'),
        batch=dict(key='train_dataloader.batch_size',
                   value=1,
                   source=_asn + ': BATCH_SIZE 1 source + 1 target'),
        source_size=dict(
            key='train_dataloader.dataset.source.pipeline[type=Resize].scale',
            value=(1280, 720),
            source=_asn + ': INPUT_SIZE, resize without crop'),
        target_size=dict(
            key='train_dataloader.dataset.target.pipeline[type=Resize].scale',
            value=(1024, 512),
            source=_asn + ': INPUT_SIZE_TARGET'),
        adv_levels=dict(key='model.aligners.output_adv.levels',
                        value=dict(main=1e-3, aux=2e-4),
                        source=_asn + ': LAMBDA_ADV_TARGET2 / 1'),
        d_input=dict(key='model.aligners.output_adv.input',
                     value='softmax',
                     source=_asn),
        gan_mode=dict(key='model.aligners.output_adv.gan_mode',
                      value='bce',
                      source=_asn + ': GAN Vanilla'),
        aux_seg_weight=dict(
            key='model.segmentor.auxiliary_head.loss_decode.loss_weight',
            value=0.1,
            source=_asn + ': LAMBDA_SEG'),
        aspp_dilations=dict(key='model.segmentor.decode_head.dilations',
                            value=(6, 12),
                            source=_net + ': the return inside the sum '
                            'keeps 2 of 4 branches; the released models '
                            'were trained so (issues #4, #20)'),
        init=dict(key='model.segmentor.backbone.init_cfg.checkpoint',
                  value='pretrain/deeplabv2_init-imagenet-coco.pth',
                  source=_asn + ': DeepLab_resnet_pretrained_init-f81d91e8'
                  '.pth, ImageNet + COCO (issue #5); fallback: the zoo '
                  'caffe R101, ImageNet only'),
        pixel_mean=dict(
            key='model.segmentor.data_preprocessor.mean',
            value=[103.53, 116.28, 123.675],
            source='decision: the zoo caffe R101\'s BGR mean for both inits '
            '(the DeepLab init\'s 104.01, 116.67, 122.68 differs by < 1 '
            'grey level)'),
        bn=dict(key='model.segmentor.backbone.norm_cfg.requires_grad',
                value=False,
                source=_net + ': BN affine frozen, batch statistics'),
        eval_size=dict(key='test_dataloader.dataset.pipeline[type=Resize]'
                       '.scale',
                       value=(1024, 512),
                       source='official code (wasidennis/AdaptSegNet: '
                       'evaluate_cityscapes.py), logits upsampled to '
                       '2048x1024'),
        eval_align_corners=dict(
            key='model.segmentor.decode_head.align_corners',
            value=True,
            source='official code (wasidennis/AdaptSegNet: issue #11: '
            'align_corners=True is part of the protocol)'),
        model_selection=dict(
            key='default_hooks.checkpoint.save_best',
            value=None,
            source='decision: report the last checkpoint (the authors '
            'pick the best snapshot on val, issue #19: an oracle choice)'),
    ))
del _asn, _net, _head
