# A small DeepLab-v2 for the synthetic benchmark and the tests: the
# structure of the ResNet-101 model (./deeplabv2_r101-caffe.py: Caffe-style
# DLV2ResNet, output stride 8, main DLV2Head on the last stage + auxiliary
# head on the third) with basic blocks, 16 base channels and no pretrained
# weights, so it trains from scratch on a CPU. BN is trainable since
# nothing is pretrained.
_base_ = ['./deeplabv2_r101-caffe.py']
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(mean=[123.675, 116.28, 103.53],
                         std=[58.395, 57.12, 57.375],
                         bgr_to_rgb=True,
                         size_divisor=1)
model = dict(data_preprocessor=data_preprocessor,
             backbone=dict(_delete_=True,
                           type='DLV2ResNet',
                           depth=18,
                           base_channels=16,
                           out_indices=(0, 1, 2, 3),
                           strides=(1, 2, 1, 1),
                           dilations=(1, 1, 2, 4),
                           norm_cfg=norm_cfg,
                           norm_eval=False,
                           init_cfg=None),
             decode_head=dict(in_channels=128),
             auxiliary_head=dict(in_channels=64))
