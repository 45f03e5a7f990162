# DeepLab-v2 head (main on res5 + auxiliary on res4) on mmseg's ResNetV1c-101
# (deep stem, PyTorch style, contracted dilation) with the ImageNet weights of
# the MMSeg model zoo. Not the network of the UDA papers (see
# deeplabv2_r101-caffe.py, whose heads it keeps) but the common MMSeg /
# DAFormer variant.
_base_ = ['./deeplabv2_r101-caffe.py']
# As in MMSeg's bases, the training config sets either ``size=crop_size`` or
# ``size_divisor=1`` (the UDA recipe: no crop, no padding) here.
data_preprocessor = dict(mean=[123.675, 116.28, 103.53],
                         std=[58.395, 57.12, 57.375],
                         bgr_to_rgb=True)
model = dict(data_preprocessor=data_preprocessor,
             backbone=dict(_delete_=True,
                           type='ResNetV1c',
                           depth=101,
                           num_stages=4,
                           out_indices=(0, 1, 2, 3),
                           strides=(1, 2, 1, 1),
                           dilations=(1, 1, 2, 4),
                           style='pytorch',
                           contract_dilation=True,
                           norm_cfg=_base_.norm_cfg,
                           norm_eval=False,
                           init_cfg=dict(
                               type='Pretrained',
                               checkpoint='open-mmlab://resnet101_v1c')))
