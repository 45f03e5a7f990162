# DeepLab-v2 head (main on res5 + auxiliary on res4) on mmseg's ResNetV1c-101
# (deep stem, PyTorch style, contracted dilation) with the ImageNet weights of
# the MMSeg model zoo. Not the network of the UDA papers (see
# deeplabv2_r101-caffe.py) but the common MMSeg / DAFormer variant.
norm_cfg = dict(type='BN', requires_grad=False)
# As in MMSeg's bases, the training config sets either ``size=crop_size`` or
# ``size_divisor=1`` (the UDA recipe: no crop, no padding) here.
data_preprocessor = dict(type='SegDataPreProcessor',
                         mean=[123.675, 116.28, 103.53],
                         std=[58.395, 57.12, 57.375],
                         bgr_to_rgb=True,
                         pad_val=0,
                         seg_pad_val=255)
model = dict(type='EncoderDecoder',
             data_preprocessor=data_preprocessor,
             backbone=dict(type='ResNetV1c',
                           depth=101,
                           num_stages=4,
                           out_indices=(0, 1, 2, 3),
                           strides=(1, 2, 1, 1),
                           dilations=(1, 1, 2, 4),
                           style='pytorch',
                           contract_dilation=True,
                           norm_cfg=norm_cfg,
                           norm_eval=False,
                           init_cfg=dict(
                               type='Pretrained',
                               checkpoint='open-mmlab://resnet101_v1c')),
             decode_head=dict(type='DLV2Head',
                              in_channels=2048,
                              in_index=3,
                              dilations=(6, 12, 18, 24),
                              num_classes=19,
                              align_corners=True,
                              loss_decode=dict(type='CrossEntropyLoss',
                                               use_sigmoid=False,
                                               loss_weight=1.0)),
             auxiliary_head=dict(type='DLV2Head',
                                 in_channels=1024,
                                 in_index=2,
                                 dilations=(6, 12, 18, 24),
                                 num_classes=19,
                                 align_corners=True,
                                 loss_decode=dict(type='CrossEntropyLoss',
                                                  use_sigmoid=False,
                                                  loss_weight=0.1)),
             train_cfg=dict(),
             test_cfg=dict(mode='whole'))
