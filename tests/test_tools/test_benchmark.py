"""tools/benchmark.py and mmseg_uda.benchmark.speed at a tiny size on CPU.

Not a timed test: it checks that every mode runs on a real UDA config
(the global-local demo, in its local stage), what the source-only and
stage-frozen configs are, and that the table and JSON report all of it.
"""
import importlib.util
import json
import os.path as osp

import pytest
from mmengine.config import Config

from config_fixtures import tiny_run_cfg
from mmseg_uda.benchmark.speed import (fix_stage, format_table,
                                       source_only_cfg)

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
GL_DEMO = osp.join(REPO, 'configs', 'demo', 'globallocal_synthetic.py')


def _tool():
    spec = importlib.util.spec_from_file_location(
        'benchmark_tool', osp.join(REPO, 'tools', 'benchmark.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_source_only_cfg_is_g_on_the_source_set():
    cfg = Config.fromfile(GL_DEMO)
    plain = source_only_cfg(cfg)
    assert plain.model == cfg.model.segmentor
    assert plain.train_dataloader.dataset == \
        cfg.train_dataloader.dataset.source
    assert plain.train_dataloader.sampler.type == 'InfiniteSampler'
    assert plain.optim_wrapper == cfg.optim_wrapper.segmentor
    assert plain.param_scheduler == cfg.param_scheduler.segmentor
    assert 'model_wrapper_cfg' not in plain
    assert not any(h.type == 'UDAStageHook' for h in plain.custom_hooks)
    # the input config is unchanged
    assert cfg.model.type == 'UDASegmentor'


def test_fix_stage_merges_the_stages_up_to_the_named_one():
    cfg = Config.fromfile(GL_DEMO)
    fix_stage(cfg, 'local')
    (stage, ) = [h for h in cfg.custom_hooks
                 if h.type == 'UDAStageHook'][0].stages
    assert stage['name'] == 'local' and stage['iters'] > 10**6
    # 'local' only sets theta; activity comes from 'local_mix'
    assert stage['aligners'] == dict(output_adv=dict(active=False),
                                     local_adv=dict(active=True, theta=1.0))
    with pytest.raises(ValueError, match='global'):
        fix_stage(Config.fromfile(GL_DEMO), 'nope')


def test_tool_times_every_mode_and_writes_json(tmp_path, capsys):
    cfg = tiny_run_cfg(Config.fromfile(GL_DEMO), tmp_path)
    config = str(tmp_path / 'gl_tiny.py')
    cfg.dump(config)
    out = tmp_path / 'bench.json'
    results = _tool().main([
        config, '--device', 'cpu', '--iters', '2', '--warmup', '1',
        '--stage', 'local_mix', '--out', str(out)
    ])
    saved = json.loads(out.read_text())
    assert saved == json.loads(json.dumps(results))
    (res, ) = saved
    assert res['stage'] == 'local_mix' and res['device'] == 'cpu'
    for mode in ('method', 'source_only', 'bare', 'inference'):
        assert len(res[mode]['times_s']) == 2
        assert res[mode]['median_s'] > 0
    # pseudo labels: both passes over the first 2 target images, timed once
    assert res['pseudo_labels']['images_per_s'] > 0
    assert len(res['pseudo_labels']['times_s']) == 1
    # UDA: one source + one target image per iteration; source only: one
    assert res['method']['images_per_iter'] == 2
    assert res['source_only']['images_per_iter'] == 1
    assert res['method_over_bare'] == pytest.approx(
        res['method']['median_s'] / res['bare']['median_s'])
    table = capsys.readouterr().out
    folder = osp.basename(str(tmp_path))
    assert f'{folder}/gl_tiny [local_mix]' in table and 'inference' in table
    assert format_table(saved).count('gl_tiny') == 5


def test_bad_arguments(tmp_path):
    tool = _tool()
    with pytest.raises(SystemExit):
        tool.main([GL_DEMO, '--iters', '0'])
    with pytest.raises(SystemExit):
        tool.main([GL_DEMO, '--rounds', '0'])
    with pytest.raises(FileNotFoundError, match='missing.py'):
        tool.main([str(tmp_path / 'missing.py'), '--device', 'cpu'])


def test_rounds_alternate_the_modes_and_pool_their_iterations(
        tmp_path, monkeypatch):
    import mmseg_uda.benchmark.speed as bench
    calls = []
    fake_times = {
        'bare': [[1.0, 3.0], [2.0, 6.0]],
        'inference': [[0.5, 0.5], [0.25, 0.75]],
    }

    def fake(mode):
        def timer(cfg, iters, warmup, device):
            times = fake_times[mode][sum(c == mode for c in calls)]
            calls.append(mode)
            return bench._summary([9.9] * warmup + times, warmup, 2, device)
        return timer

    monkeypatch.setattr(bench, 'time_bare', fake('bare'))
    monkeypatch.setattr(bench, 'time_inference', fake('inference'))
    res = bench.benchmark_config(GL_DEMO, modes=['bare', 'inference'],
                                 iters=2, warmup=1, device='cpu', rounds=2)
    # round 2 runs the modes in reverse order
    assert calls == ['bare', 'inference', 'inference', 'bare']
    # median of all four timed iterations: (2 + 3) / 2; warm-up dropped
    assert res['bare']['median_s'] == pytest.approx(2.5)
    assert res['bare']['times_s'] == [1.0, 3.0, 2.0, 6.0]
    assert res['bare']['round_medians_s'] == [2.0, 4.0]
    assert res['bare']['images_per_s'] == pytest.approx(2 / 2.5)
    assert res['inference']['median_s'] == pytest.approx(0.5)
    assert res['rounds'] == 2
    assert '2.0000-4.0000' in format_table([res])
    with pytest.raises(ValueError, match='rounds'):
        bench.benchmark_config(GL_DEMO, modes=['bare'], device='cpu',
                               rounds=0)


def test_pool_rounds_of_pseudo_label_totals():
    from mmseg_uda.benchmark.speed import pool_rounds
    runs = [dict(median_s=0.2, times_s=[2.0], images_per_iter=1),
            dict(median_s=0.4, times_s=[4.0], images_per_iter=1),
            dict(median_s=0.3, times_s=[3.0], images_per_iter=1)]
    pooled = pool_rounds(runs, per_iteration=False)
    # per image, not the median of the totals
    assert pooled['median_s'] == pytest.approx(0.3)
    assert pooled['images_per_s'] == pytest.approx(1 / 0.3)
    assert pool_rounds(runs[:1]) is runs[0]


def test_json_is_written_after_every_config(tmp_path, monkeypatch):
    import mmseg_uda.benchmark.speed as api
    calls = []

    def fake_benchmark(config, **kwargs):
        calls.append(config)
        if len(calls) == 2:
            raise KeyboardInterrupt  # e.g. the suite's time limit
        return dict(config=config, stage=None,
                    method=dict(median_s=0.5, images_per_s=4.0))

    monkeypatch.setattr(api, 'benchmark_config', fake_benchmark)
    out = tmp_path / 'bench.json'
    with pytest.raises(KeyboardInterrupt):
        _tool().main([GL_DEMO, GL_DEMO, '--device', 'cpu', '--modes',
                      'method', '--out', str(out)])
    (saved, ) = json.loads(out.read_text())
    assert saved['config'] == GL_DEMO and saved['method']['median_s'] == 0.5


def test_channels_last_in_every_mode(tmp_path):
    import torch
    import mmseg_uda.benchmark.speed as api
    cfg = tiny_run_cfg(Config.fromfile(GL_DEMO), tmp_path)
    config = str(tmp_path / 'gl_tiny.py')
    cfg.dump(config)
    res = api.benchmark_config(config, modes=['bare', 'inference'], iters=1,
                               warmup=0, device='cpu', channels_last=True)
    assert res['channels_last'] is True
    assert 'gl_tiny channels-last' in format_table([res])
    # the model-building modes convert as the hook does in the Runner ones
    cfg.custom_hooks = list(cfg.custom_hooks) + [
        dict(type='ChannelsLastHook')]
    model = api._built_model(cfg, torch.device('cpu'))
    conv = model.segmentor.backbone.conv1.weight
    assert conv.shape[-1] > 1
    assert conv.is_contiguous(memory_format=torch.channels_last)
