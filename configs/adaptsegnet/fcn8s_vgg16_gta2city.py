# AdaptSegNet with FCN-8s VGG-16 (the "V" rows), GTA5 -> Cityscapes.
# FCN-8s has one output, so a single output-space D on the main softmax
# (lambda 1e-3; AdaptSegNet's single-level setting). Optimisers, poly decay
# over the 250k horizon and the 120k stop are those of the DeepLab-v2
# config (SPEC 3: all "V" rows share the R recipe).
_base_ = [
    '../_base_/models/fcn8s_vgg16.py',
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
                                           levels=dict(main=1e-3),
                                           input='softmax',
                                           gan_mode='bce')))
# Multi-GPU: G and every discriminator in its own DDP (the default
# wrapper would not all-reduce a UDA model's gradients).
model_wrapper_cfg = dict(type='UDADistributedDataParallel')
d_optim_wrapper = dict(type='OptimWrapper',
                       optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.99)))
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
