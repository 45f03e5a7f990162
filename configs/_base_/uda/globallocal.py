# Global-local alignment parts (SPEC 4.1; global-local paper Sec. 3) shared
# by the full-size GL configs. Give it as a second _base_ next to the
# global-stage baseline config; the leaf then writes
#   model = dict(aligners=dict(local_adv=_base_.local_adv))
#   optim_wrapper = {'local_adv.discriminator': _base_.local_d_optim_wrapper}
#   param_scheduler = {'local_adv.discriminator': _base_.local_d_scheduler}
#   custom_hooks = [dict(type='UDAStageHook',
#                        stages=[global stage] + _base_.local_stages_gta5)]
#   train_cfg = dict(max_iters=<global iters> + _base_.local_iters)
# (this file cannot hold `model` or `custom_hooks` itself: they belong to
# the baseline config).
#
# Stage 2 is a second training run started from the global model, as the
# paper trains it ("we initialise our backbone network with a model already
# trained for global alignment ... Adam with lr 1e-4 ... SGD with 2.5e-4"):
# at its first iteration every optimizer starts afresh at its base lr with
# empty states, and the poly curves (the baselines' 250k horizon) count
# from there (`restart=True`). The global D is off in stage 2 (the paper's
# L_step2 has only the local term).
# Decisions (the paper is silent): the pixel D sees the softmax at G's
# native stride-8 resolution (resolution='input' for the image-size
# notation of the paper, 8x8 = 64 times the memory), 1x1 convs 64-128-256-
# 512-1 without normalisation; source and target maps are aligned by a
# random crop of the larger one; alpha ~ U[theta, 1] per pixel.

local_adv = dict(type='LocalAdversarial',
                 num_classes=19,
                 loss_weight=1e-3,
                 theta=1.0,
                 exclude_background=True,
                 resolution='native',
                 align='crop',
                 active=False)
local_d_optim_wrapper = dict(type='OptimWrapper',
                             optimizer=dict(type='Adam',
                                            lr=1e-4,
                                            betas=(0.9, 0.99)))
local_d_scheduler = [
    dict(type='PolyLR',
         power=0.9,
         eta_min=0.0,
         begin=0,
         end=250001,
         by_epoch=False)
]
# 30k with the mixture module, then 50k with theta 1.0 (paper Sec. 3)
mix_iters = 30000
local_iters = 80000


def _local_stages(theta):
    return [
        dict(name='local_mix',
             iters=mix_iters,
             aligners=dict(output_adv=dict(active=False),
                           local_adv=dict(active=True, theta=theta)),
             restart=True),
        dict(name='local',
             iters=local_iters - mix_iters,
             aligners=dict(local_adv=dict(theta=1.0))),
    ]


# theta 0.6 for GTA5, 0.8 for SYNTHIA (paper Sec. 3)
local_stages_gta5 = _local_stages(0.6)
local_stages_synthia = _local_stages(0.8)
# the ablations without the mixture module (Table 3, S2 and S3)
local_stages_no_mixture = _local_stages(1.0)
global_stage_aligners = dict(output_adv=dict(active=True),
                             local_adv=dict(active=False))
del _local_stages

# Recipe-card values of the local stage (tools/recipe_card.py); a leaf
# merges them into its baseline's card: values=_base_.gl_card_values.
_gl = 'paper (global-local, Sec. 3)'
_hook = 'custom_hooks[type=UDAStageHook].stages'
gl_card_values = dict(
    local_weight=dict(key='model.aligners.local_adv.loss_weight',
                      value=1e-3,
                      source=_gl + ': lambda_adv 0.001'),
    local_d_lr=dict(key="optim_wrapper['local_adv.discriminator']."
                    'optimizer.lr',
                    value=1e-4,
                    source=_gl + ': Adam 1e-4, (0.9, 0.99)'),
    local_d_betas=dict(key="optim_wrapper['local_adv.discriminator']."
                       'optimizer.betas',
                       value=(0.9, 0.99),
                       source=_gl),
    stage2_restart=dict(key=_hook + '[name=local_mix].restart',
                        value=True,
                        source=_gl + ': stage 2 starts from the global '
                        'model with SGD 2.5e-4 / Adam 1e-4'),
    mix_iters=dict(key=_hook + '[name=local_mix].iters',
                   value=30000,
                   source=_gl + ': mixture for the first 30,000 iterations'),
    theta1_iters=dict(key=_hook + '[name=local].iters',
                      value=50000,
                      source=_gl + ': then theta 1.0 for 50,000'),
    theta=dict(key=_hook + '[name=local_mix].aligners.local_adv.theta',
               value=0.6,
               source=_gl + ': theta 0.6 (GTA5), 0.8 (SYNTHIA)'),
    global_d_in_stage2=dict(
        key=_hook + '[name=local_mix].aligners.output_adv.active',
        value=False,
        source=_gl + ': L_step2 = L_seg + lambda_adv L_local'),
    background_exclusion=dict(
        key='model.aligners.local_adv.exclude_background',
        value=True,
        source=_gl + ': source background outputs discarded'),
    local_d_resolution=dict(
        key='model.aligners.local_adv.resolution',
        value='native',
        source='decision: stride-8 softmax (the paper writes p at image '
        "size; resolution='input' follows that at 64x the D memory)"),
    mixture_align=dict(key='model.aligners.local_adv.align',
                       value='crop',
                       source='decision: random crop of the larger map '
                       '(source 1280x720 vs target 1024x512)'),
)
del _gl, _hook
