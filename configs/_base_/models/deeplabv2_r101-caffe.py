# DeepLab-v2 ResNet-101 as in the UDA baselines (SPEC section 3): Caffe-style
# ResNet (7x7 stem, ceil-mode max-pool, stride on the first 1x1 conv),
# output stride 8, frozen BN affine, main DLV2Head on res5 + auxiliary
# DLV2Head on res4 (multi-level). Evaluation uses the main head only.
# BN with frozen gamma/beta; norm_eval=False keeps batch statistics in
# training like the reference code (norm_eval=True also freezes the stats).
norm_cfg = dict(type='BN', requires_grad=False)
# Init (SPEC 3): the papers' DeepLab-v2 inits, converted once by
#   python tools/model_converters/deeplabv2_init.py IN.pth OUT.pth
# AdaptSegNet and SIM start from DeepLab_resnet_pretrained_init-f81d91e8.pth
# (ImageNet + MS-COCO; AdaptSegNet issue #5), ADVENT and BDL from
# DeepLab_resnet_pretrained_imagenet.pth (ImageNet). A config names its
# paper's file; where that file is absent the MMSeg zoo's caffe ResNet-101
# (ImageNet only, the MSRA weights) is loaded instead, with a warning.
deeplab_init_coco = 'pretrain/deeplabv2_init-imagenet-coco.pth'
deeplab_init_imagenet = 'pretrain/deeplabv2_init-imagenet.pth'
zoo_init = 'open-mmlab://detectron2/resnet101_caffe'

# As in MMSeg's bases, the training config sets either ``size=crop_size`` or
# ``size_divisor=1`` (the UDA recipe: no crop, no padding) here.
data_preprocessor = dict(
    type='SegDataPreProcessor',
    # The MSRA Caffe weights expect BGR, 0-255, mean-subtracted, no std.
    mean=[103.53, 116.28, 123.675],
    std=[1.0, 1.0, 1.0],
    bgr_to_rgb=False,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(type='DLV2ResNet',
                  depth=101,
                  out_indices=(0, 1, 2, 3),
                  strides=(1, 2, 1, 1),
                  dilations=(1, 1, 2, 4),
                  style='caffe',
                  contract_dilation=False,
                  norm_cfg=norm_cfg,
                  norm_eval=False,
                  init_cfg=dict(type='PretrainedWithFallback',
                                checkpoint=deeplab_init_coco,
                                fallback=zoo_init)),
    decode_head=dict(
        type='DLV2Head',
        in_channels=2048,
        in_index=3,
        # (6, 12) reproduces AdaptSegNet/SIM's published 2-branch head.
        dilations=(6, 12, 18, 24),
        num_classes=19,
        # The UDA protocol upsamples logits with align_corners=True.
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
