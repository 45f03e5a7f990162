# AdaptSegNet (multi-level output-space adversarial alignment), DeepLab-v2
# ResNet-101, GTA5 -> Cityscapes (SPEC 3): FCDiscriminator on the softmax of
# the main (lambda 1e-3) and aux (2e-4) outputs upsampled to the input size,
# BCE, source label 0 / target label 1; D: Adam 1e-4, betas (0.9, 0.99),
# same poly decay as G over the 250k horizon; training stops at 120k.
_base_ = [
    '../_base_/models/deeplabv2_r101-caffe.py',
    '../_base_/datasets/uda_gta5_to_cityscapes.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_uda_250k_poly.py',
]
# No crop and no padding (the Runner passes this to the model).
data_preprocessor = dict(size_divisor=1)
model = dict(_delete_=True,
             type='UDASegmentor',
             segmentor={{_base_.model}},
             aligners=dict(output_adv=dict(type='OutputAdversarial',
                                           num_classes=19,
                                           levels=dict(main=1e-3, aux=2e-4),
                                           input='softmax',
                                           gan_mode='bce')))
# Multi-GPU: G and every discriminator in its own DDP (the default
# wrapper would not all-reduce a UDA model's gradients).
model_wrapper_cfg = dict(type='UDADistributedDataParallel')
d_optim_wrapper = dict(type='OptimWrapper',
                       optimizer=dict(type='Adam',
                                      lr=1e-4,
                                      betas=(0.9, 0.99)))
optim_wrapper = {
    '_delete_': True,
    'constructor': 'UDAOptimWrapperConstructor',
    'segmentor': {{_base_.optim_wrapper}},
    'output_adv.discriminators': d_optim_wrapper,
}
param_scheduler = {
    '_delete_': True,
    'segmentor': {{_base_.param_scheduler}},
    'output_adv.discriminators': {{_base_.param_scheduler}},
}
val_evaluator = dict(type='SubsetIoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
