# ICNet (Zhao et al., ECCV 2018) as MMSeg builds it: a ResNetV1c-50 branch
# on the half-resolution input with PSP pooling on its low-resolution end, a
# light branch on the full-resolution input, ICNeck cascade feature fusion
# (outputs at 1/32, 1/16, 1/8), the main FCN head on the fused 1/8 output
# and two auxiliary FCN heads (weight 0.4) on the coarser outputs. ImageNet
# weights from the MMSeg model zoo. Written here because `mmseg::` bases need
# `pkg_resources` (see pspnet_r101-d8.py).
norm_cfg = dict(type='SyncBN', requires_grad=True)
data_preprocessor = dict(type='SegDataPreProcessor',
                         mean=[123.675, 116.28, 103.53],
                         std=[58.395, 57.12, 57.375],
                         bgr_to_rgb=True,
                         pad_val=0,
                         seg_pad_val=255)
aux_head = dict(type='FCNHead',
                in_channels=128,
                channels=128,
                num_convs=1,
                num_classes=19,
                norm_cfg=norm_cfg,
                concat_input=False,
                align_corners=False,
                loss_decode=dict(type='CrossEntropyLoss',
                                 use_sigmoid=False,
                                 loss_weight=0.4))
resnet = dict(type='ResNetV1c',
              in_channels=3,
              depth=50,
              num_stages=4,
              out_indices=(0, 1, 2, 3),
              dilations=(1, 1, 2, 4),
              strides=(1, 2, 1, 1),
              norm_cfg=norm_cfg,
              norm_eval=False,
              style='pytorch',
              contract_dilation=True,
              init_cfg=dict(type='Pretrained',
                            checkpoint='open-mmlab://resnet50_v1c'))
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(type='ICNet',
                  backbone_cfg=resnet,
                  in_channels=3,
                  layer_channels=(512, 2048),
                  light_branch_middle_channels=32,
                  psp_out_channels=512,
                  out_channels=(64, 256, 256),
                  norm_cfg=norm_cfg,
                  align_corners=False),
    neck=dict(type='ICNeck',
              in_channels=(64, 256, 256),
              out_channels=128,
              norm_cfg=norm_cfg,
              align_corners=False),
    decode_head=dict(type='FCNHead',
                     in_channels=128,
                     channels=128,
                     num_convs=1,
                     in_index=2,
                     dropout_ratio=0,
                     num_classes=19,
                     norm_cfg=norm_cfg,
                     concat_input=False,
                     align_corners=False,
                     loss_decode=dict(type='CrossEntropyLoss',
                                      use_sigmoid=False,
                                      loss_weight=1.0)),
    auxiliary_head=[
        dict(aux_head, in_index=0),
        dict(aux_head, in_index=1),
    ],
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
