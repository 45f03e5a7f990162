"""Recipe cards: key lookup, the checker on hand-made configs, the tool, and
every full-size config's card against its resolved config."""
import importlib.util
import json
from pathlib import Path

import pytest
from mmengine.config import Config

from mmseg_uda.utils.recipe_card import (MissingKey, card_rows, check_card,
                                         format_card, lookup, same_value)

ROOT = Path(__file__).parents[2]
TOOL = ROOT / 'tools' / 'recipe_card.py'


def _tool():
    spec = importlib.util.spec_from_file_location('recipe_card', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cfg(**card_values):
    return Config(
        dict(optim_wrapper={
            'segmentor': dict(optimizer=dict(lr=0.01)),
            'local_adv.discriminator': dict(optimizer=dict(lr=1e-4)),
        },
             custom_hooks=[
                 dict(type='RNGStateHook'),
                 dict(type='UDAStageHook',
                      stages=[dict(name='a', iters=3),
                              dict(name='b', iters=5)]),
             ],
             train_cfg=dict(max_iters=8),
             train_dataloader=dict(batch_size=1),
             default_hooks=dict(checkpoint=dict(interval=2)),
             recipe_card=dict(paper='P',
                              row='R',
                              task='T',
                              paper_miou=1.0,
                              metric='mIoU',
                              values=card_values)))


def _entry(key, value, source='paper, Sec. 1'):
    return dict(key=key, value=value, source=source)


BASE = dict(g_lr=_entry('optim_wrapper.segmentor.optimizer.lr', 0.01),
            max_iters=_entry('train_cfg.max_iters', 8),
            batch=_entry('train_dataloader.batch_size', 1))


def test_lookup_paths():
    cfg = _cfg()
    assert lookup(cfg, "optim_wrapper['local_adv.discriminator']"
                  '.optimizer.lr') == 1e-4
    assert lookup(cfg, 'custom_hooks[type=UDAStageHook].stages[name=b]'
                  '.iters') == 5
    assert lookup(cfg, 'custom_hooks[1].stages[-1].iters') == 5
    for bad in ('train_cfg.val_interval', 'custom_hooks[5]',
                'custom_hooks[type=Nope].stages',
                'train_cfg[0]'):
        with pytest.raises(MissingKey):
            lookup(cfg, bad)
    with pytest.raises(ValueError):
        lookup(cfg, 'train_cfg..max_iters')


def test_same_value():
    assert same_value((1280, 720), [1280, 720])
    assert same_value(2.5e-4, 0.00025)
    assert not same_value(2.5e-4, 2.6e-4)
    assert not same_value(True, 1)
    assert same_value(dict(main=1e-3), {'main': 0.001})
    assert not same_value(dict(main=1e-3), dict(main=1e-3, aux=2e-4))


def test_agreeing_card_passes():
    assert check_card(_cfg(**BASE)) == []


def test_changed_value_is_flagged():
    cfg = _cfg(**BASE)
    cfg.train_cfg.max_iters = 9
    problems = check_card(cfg)
    assert len(problems) == 1
    assert 'max_iters' in problems[0] and '9' in problems[0]
    assert 'MISMATCH' in format_card(cfg)


def test_card_structure_errors():
    assert check_card(Config(dict(a=1))) == ['no recipe_card']
    values = dict(BASE, x=_entry('train_cfg.max_iters', 8, 'my guess'))
    assert any('source' in p for p in check_card(_cfg(**values)))
    values = dict(BASE)
    values.pop('batch')
    assert any("'batch'" in p for p in check_card(_cfg(**values)))
    values = {k: v for k, v in BASE.items() if k != 'g_lr'}
    assert any('learning rate' in p for p in check_card(_cfg(**values)))
    values = dict(BASE, y=_entry('train_cfg.nope', 3))
    assert any('not in the config' in p for p in check_card(_cfg(**values)))


def test_unset_and_not_applicable_values():
    values = dict(BASE,
                  best=_entry('default_hooks.checkpoint.save_best', None),
                  d=dict(key=None, source='decision: no D here'))
    cfg = _cfg(**values)
    assert check_card(cfg) == []
    rows = {r['name']: r for r in card_rows(cfg)}
    assert rows['best']['problem'] is None
    assert 'n/a' in format_card(cfg)
    # None does not excuse a wrong parent path
    values['best'] = _entry('default_hooks.nothing.save_best', None)
    assert check_card(_cfg(**values))


def test_tool_prints_checks_and_tables(tmp_path, capsys):
    good = tmp_path / 'good.py'
    good.write_text(_cfg(**BASE).pretty_text)
    bad_cfg = _cfg(**BASE)
    bad_cfg.train_dataloader.batch_size = 2
    bad = tmp_path / 'bad.py'
    bad.write_text(bad_cfg.pretty_text)
    tool = _tool()
    table = tmp_path / 'table.md'
    assert tool.main([str(good), '--table', str(table)]) == 0
    assert 'batch' in capsys.readouterr().out
    assert f'`{good}`' in table.read_text()
    # projected GPU-hours from a GPU benchmark of the config; CPU
    # timings are not projected
    bench = tmp_path / 'bench.json'
    bench.write_text(json.dumps([
        dict(config=str(good), device='NVIDIA H100', method=dict(
            median_s=900.0)),
        dict(config=str(bad), device='cpu', method=dict(median_s=1.0)),
    ]))
    assert tool.main([str(good), str(bad), '--table', str(table),
                      '--benchmark', str(bench)]) == 1
    rows = {line.split(' | ')[4]: line for line in
            table.read_text().splitlines() if line.startswith('| P')}
    assert rows[f'`{good}`'].endswith('| 2.0 |')  # 8 it x 900 s
    assert rows[f'`{bad}`'].endswith('| - |')
    assert 'NVIDIA H100' in table.read_text()
    assert tool.main([str(tmp_path), '--check']) == 1
    out = capsys.readouterr().out
    assert 'batch' in out and '1 of 2 configs' in out


def _full_size_configs():
    files = _tool().full_size_configs([str(ROOT / 'configs')])
    return [str(Path(f).relative_to(ROOT / 'configs')) for f in files]


def test_demo_and_bases_are_skipped():
    names = _full_size_configs()
    assert names and not any(n.startswith(('demo/', '_base_/'))
                             for n in names)


@pytest.mark.parametrize('name', _full_size_configs())
def test_config_card_matches_config(name):
    problems = check_card(Config.fromfile(str(ROOT / 'configs' / name)))
    assert problems == [], problems


def test_docs_reproduction_table_is_current(monkeypatch):
    """docs/reproduction_table.md is the tool's output for configs/."""
    monkeypatch.chdir(ROOT)
    tool = _tool()
    expected = tool.reproduction_table(tool.full_size_configs(['configs']))
    current = (ROOT / 'docs' / 'reproduction_table.md').read_text()
    assert current == expected, (
        'regenerate: python tools/recipe_card.py configs --table '
        'docs/reproduction_table.md')
