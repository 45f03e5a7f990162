# PSPNet (Zhao et al., CVPR 2017) as MMSeg builds it: ResNetV1c-101 (deep
# stem, PyTorch style), dilated last two stages (output stride 8, contracted
# dilation), PSPHead (pool scales 1, 2, 3, 6) on res5 and an FCN auxiliary
# head on res4 (weight 0.4), ImageNet weights from the MMSeg model zoo.
# Written here instead of inheriting `mmseg::_base_/models/pspnet_r50-d8.py`
# because MMEngine 0.10.7 resolves `mmseg::` through `pkg_resources`, which
# setuptools >= 81 no longer ships. SyncBN becomes BN in single-process runs
# (MMEngine reverts it).
norm_cfg = dict(type='SyncBN', requires_grad=True)
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
                           dilations=(1, 1, 2, 4),
                           strides=(1, 2, 1, 1),
                           norm_cfg=norm_cfg,
                           norm_eval=False,
                           style='pytorch',
                           contract_dilation=True,
                           init_cfg=dict(
                               type='Pretrained',
                               checkpoint='open-mmlab://resnet101_v1c')),
             decode_head=dict(type='PSPHead',
                              in_channels=2048,
                              in_index=3,
                              channels=512,
                              pool_scales=(1, 2, 3, 6),
                              dropout_ratio=0.1,
                              num_classes=19,
                              norm_cfg=norm_cfg,
                              align_corners=False,
                              loss_decode=dict(type='CrossEntropyLoss',
                                               use_sigmoid=False,
                                               loss_weight=1.0)),
             auxiliary_head=dict(type='FCNHead',
                                 in_channels=1024,
                                 in_index=2,
                                 channels=256,
                                 num_convs=1,
                                 concat_input=False,
                                 dropout_ratio=0.1,
                                 num_classes=19,
                                 norm_cfg=norm_cfg,
                                 align_corners=False,
                                 loss_decode=dict(type='CrossEntropyLoss',
                                                  use_sigmoid=False,
                                                  loss_weight=0.4)),
             train_cfg=dict(),
             test_cfg=dict(mode='whole'))
