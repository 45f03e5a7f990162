"""BDL's two chained self-training rounds in one run (the two-round demo
config, every step shortened to two iterations): round 1 trains on labels
of the step-1 model, round 2 on labels of the round-1 model, each from the
initial weights; a run resumed after the second boundary equals the
uninterrupted one and regenerates nothing."""
import json
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from config_fixtures import tiny_run_cfg
from mmseg.registry import HOOKS
from mmseg_uda.engine.hooks import pseudo_label_hook

CONFIG = osp.join(osp.dirname(__file__), '..', '..', 'configs', 'demo',
                  'selftraining_two-round_synthetic.py')
STEP = 2


def _model(runner):
    model = runner.model
    return model.module if is_model_wrapper(model) else model


@HOOKS.register_module(force=True)
class TwoRoundProbeHook(Hook):
    """Records stage, target labels, losses and G's weights per iteration."""
    priority = 'LOWEST'
    records = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        target = data_batch['target']['data_samples']
        type(self).records.append(
            dict(stage=runner.message_hub.get_info('uda_stage'),
                 labels=[
                     s.gt_sem_seg.data.clone() if 'gt_sem_seg' in s else None
                     for s in target
                 ],
                 g=torch.cat([
                     p.detach().flatten()
                     for p in _model(runner).segmentor.parameters()
                 ]).clone()))

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        type(self).records[-1]['losses'] = sorted(outputs)


def _cfg(tmp_path, work_dir, max_iters=3 * STEP):
    cfg = tiny_run_cfg(Config.fromfile(CONFIG), tmp_path, max_iters=max_iters)
    for stage in cfg.custom_hooks[0].stages:
        stage.iters = STEP
    cfg.param_scheduler.segmentor[0].end = STEP
    cfg.param_scheduler['output_adv.discriminators'][0].end = STEP
    cfg.train_cfg.update(max_iters=max_iters, val_interval=100)
    cfg.default_hooks.checkpoint.update(interval=STEP, max_keep_ckpts=-1)
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.work_dir = str(work_dir)
    return cfg


def _summary(work_dir, name):
    with open(osp.join(str(work_dir), name, 'pseudo_labels.json')) as f:
        return json.load(f)


def test_two_rounds_chain_and_resume_after_round_two(tmp_path, monkeypatch):
    from mmseg_uda.utils.checkpoint_loading import ENV_FLAG
    monkeypatch.setenv(ENV_FLAG, '1')
    full = tmp_path / 'full'
    cfg = _cfg(tmp_path / 'data', full)
    cfg.custom_hooks.append(dict(type='TwoRoundProbeHook'))
    TwoRoundProbeHook.records = []
    Runner.from_cfg(cfg).train()

    rec = TwoRoundProbeHook.records
    assert [r['stage'] for r in rec] == (['adapt'] * STEP +
                                         ['self_training'] * STEP +
                                         ['self_training_2'] * STEP)
    round1 = _summary(full, 'pseudo_labels_round1')
    round2 = _summary(full, 'pseudo_labels_round2')
    # round k is labelled by the model at its boundary
    assert round1['status'] == round2['status'] == 'complete'
    assert round1['model']['iteration'] == STEP
    assert round2['model']['iteration'] == 2 * STEP
    for r in rec[:STEP]:
        assert r['labels'] == [None]
    for r in rec[STEP:]:
        assert r['labels'][0] is not None
        assert 'pseudo_ce.loss_pseudo_main' in r['losses']
    # both rounds restart from the initial weights
    assert torch.equal(rec[STEP]['g'], rec[0]['g'])
    assert torch.equal(rec[2 * STEP]['g'], rec[0]['g'])
    assert not torch.equal(rec[2 * STEP - 1]['g'], rec[0]['g'])

    # stop inside round 2, resume: nothing regenerated, same final state
    part = tmp_path / 'part'
    Runner.from_cfg(_cfg(tmp_path / 'data', part,
                         max_iters=2 * STEP + 1)).train()

    def no_generation(*args, **kwargs):
        raise AssertionError('regenerated pseudo labels after a boundary')

    monkeypatch.setattr(pseudo_label_hook.PseudoLabelGenerator, 'run',
                        no_generation)
    cfg = _cfg(tmp_path / 'data', part)
    cfg.resume = True
    Runner.from_cfg(cfg).train()
    a = torch.load(osp.join(full, f'iter_{3 * STEP}.pth'),
                   map_location='cpu', weights_only=False)['state_dict']
    b = torch.load(osp.join(part, f'iter_{3 * STEP}.pth'),
                   map_location='cpu', weights_only=False)['state_dict']
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key
