# FCN-8s on VGG-16 for the "V" rows of the UDA tables (SPEC section 3):
# fc6 (7x7, 4096) and fc7 (1x1, 4096) as convolutions, skip fusion of the
# pool3 / pool4 / fc7 scores, output at stride 8.
# As in MMSeg's bases, the training config sets either ``size=crop_size`` or
# ``size_divisor=1`` (the UDA recipe: no crop, no padding) here.
data_preprocessor = dict(
    type='SegDataPreProcessor',
    # open-mmlab://vgg16_caffe is used by MMDetection's SSD configs with RGB
    # input, the RGB mean and std 1 (0-255 range); we feed it the same way.
    mean=[123.675, 116.28, 103.53],
    std=[1.0, 1.0, 1.0],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='VGG',
        depth=16,
        # pool3 (stride 8), pool4 (stride 16), fc7 (stride 32)
        out_indices=(2, 3, 5),
        with_fc=True,
        fc_channels=4096,
        fc6_kernel_size=7,
        fc_dropout=0.5,
        # Caffe pools round up.
        pool_ceil_mode=True,
        init_cfg=dict(type='Pretrained',
                      checkpoint='open-mmlab://vgg16_caffe')),
    decode_head=dict(
        type='FCN8sHead',
        in_channels=(256, 512, 4096),
        in_index=(0, 1, 2),
        # The "at-once" FCN-8s uses pool4_scale=0.01, pool3_scale=0.0001.
        pool4_scale=1.0,
        pool3_scale=1.0,
        num_classes=19,
        align_corners=True,
        loss_decode=dict(type='CrossEntropyLoss',
                         use_sigmoid=False,
                         loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
