# DAFormer's network (Hoyer et al., CVPR 2022, Sec. 3.2): the MiT-B5
# encoder of SegFormer (MMSeg's MixVisionTransformer, ImageNet-1k weights
# from the MMSeg model zoo) and the DAFormer decoder (level embeddings to
# 256 channels, context-aware fusion with 3x3 depthwise separable
# convolutions at dilations 1, 6, 12, 18). Logits at 1/4 of the input.
mit_b5_checkpoint = ('https://download.openmmlab.com/mmsegmentation/v0.5/'
                     'pretrain/segformer/mit_b5_20220624-658746d9.pth')
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(type='SegDataPreProcessor',
                         mean=[123.675, 116.28, 103.53],
                         std=[58.395, 57.12, 57.375],
                         bgr_to_rgb=True,
                         pad_val=0,
                         seg_pad_val=255)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(type='MixVisionTransformer',
                  in_channels=3,
                  embed_dims=64,
                  num_stages=4,
                  num_layers=[3, 6, 40, 3],
                  num_heads=[1, 2, 5, 8],
                  patch_sizes=[7, 3, 3, 3],
                  sr_ratios=[8, 4, 2, 1],
                  out_indices=(0, 1, 2, 3),
                  mlp_ratio=4,
                  qkv_bias=True,
                  drop_rate=0.0,
                  attn_drop_rate=0.0,
                  drop_path_rate=0.1,
                  init_cfg=dict(type='Pretrained',
                                checkpoint=mit_b5_checkpoint)),
    decode_head=dict(type='DAFormerHead',
                     in_channels=[64, 128, 320, 512],
                     in_index=[0, 1, 2, 3],
                     embed_dims=256,
                     channels=256,
                     dilations=(1, 6, 12, 18),
                     dropout_ratio=0.1,
                     num_classes=19,
                     norm_cfg=norm_cfg,
                     align_corners=False,
                     loss_decode=dict(type='CrossEntropyLoss',
                                      use_sigmoid=False,
                                      loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
