"""tools/analysis/affinity_loss_cost.py on the tiny demo network."""
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
TOOL = ROOT / 'tools' / 'analysis' / 'affinity_loss_cost.py'
CONFIG = ROOT / 'configs' / 'demo' / 'oracle_synthetic.py'


def _tool():
    spec = importlib.util.spec_from_file_location('affinity_loss_cost', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reports_both_variants_and_writes_json(tmp_path, capsys):
    out = tmp_path / 'cost.json'
    result = _tool().main([
        '--config',
        str(CONFIG), '--size', '32', '48', '--batch', '2', '--iters', '3',
        '--warmup', '1', '--out',
        str(out)
    ])
    saved = json.loads(out.read_text())
    assert saved['median_s'] == pytest.approx(result['median_s'])
    for name in ('without_ar', 'with_ar', 'ar_loss_only'):
        assert len(saved['times_s'][name]) == 3
        assert saved['median_s'][name] > 0
    med = saved['median_s']
    assert saved['ar_share_of_iteration'] == pytest.approx(
        (med['with_ar'] - med['without_ar']) / med['with_ar'])
    assert saved['size'] == [32, 48] and saved['num_classes'] == 19
    printed = capsys.readouterr().out
    assert 'CE + AR' in printed and 'AR share' in printed


def test_rejects_bad_counts():
    with pytest.raises(SystemExit):
        _tool().main(['--iters', '0'])
