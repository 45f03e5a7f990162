# Source-only training (the lower bound of every UDA table): the baselines'
# G recipe with no aligner. A leaf lists a model base, a source dataset base
# and this file, then states its network, data and paper row:
#   model = dict(data_preprocessor=dict(size_divisor=1))
#   recipe_card = dict(paper=..., row=..., values=dict(
#       _base_.source_only_card_values, source_size=..., init=...))
# (model and the evaluators belong to the model and dataset bases, which
# MMEngine does not let a second base redefine.)
_base_ = [
    '../default_runtime.py',
    '../schedules/schedule_uda_250k_poly.py',
]

_asn = 'official code (wasidennis/AdaptSegNet: train_gta2cityscapes_multi.py)'
source_only_card_values = dict(
    g_optimizer=dict(key='optim_wrapper.optimizer.type',
                     value='SGD',
                     source=_asn + ', the baselines\' G recipe'),
    g_lr=dict(key='optim_wrapper.optimizer.lr', value=2.5e-4, source=_asn),
    g_weight_decay=dict(key='optim_wrapper.optimizer.weight_decay',
                        value=5e-4,
                        source=_asn),
    poly_horizon=dict(key='param_scheduler[0].end',
                      value=250001,
                      source=_asn + ': NUM_STEPS 250000'),
    max_iters=dict(key='train_cfg.max_iters',
                   value=120000,
                   source='decision: the stop of the adversarial '
                   'baselines (no source-only script is public)'),
    batch=dict(key='train_dataloader.batch_size',
               value=1,
               source=_asn + ': BATCH_SIZE 1'),
    eval_size=dict(key='test_dataloader.dataset.pipeline'
                   '[type=Resize].scale',
                   value=(1024, 512),
                   source='official code (wasidennis/AdaptSegNet: '
                   'evaluate_cityscapes.py)'),
)
# source_size values of the two source sets
gta5_size_card_value = dict(
    key='train_dataloader.dataset.pipeline[type=Resize].scale',
    value=(1280, 720),
    source='official code (wasidennis/AdaptSegNet: INPUT_SIZE)')
synthia_size_card_value = dict(
    key='train_dataloader.dataset.pipeline[type=Resize].scale',
    value=(1280, 760),
    source='official code (liyunsheng13/BDL: data/__init__.py, '
    'SYNTHIA 1280x760)')
del _asn
