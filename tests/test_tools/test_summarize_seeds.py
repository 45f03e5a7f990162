"""tools/analysis/summarize_seeds.py on work_dirs in MMEngine's layout."""
import importlib.util
import json
import statistics
from pathlib import Path

import pytest
from prettytable import PrettyTable

ROOT = Path(__file__).parents[2]
TOOL = ROOT / 'tools' / 'analysis' / 'summarize_seeds.py'


def _tool():
    spec = importlib.util.spec_from_file_location('summarize_seeds', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _table(iou):
    # the metric's own log format (SubsetIoUMetric._log_tables)
    table = PrettyTable()
    table.add_column('Class', list(iou))
    table.add_column('IoU', list(iou.values()))
    table.add_column('Acc', [50.0] * len(iou))
    return table.get_string()


def _run(work_dir, stamp, scalars, iou=None):
    d = work_dir / stamp
    (d / 'vis_data').mkdir(parents=True)
    with open(d / 'vis_data' / 'scalars.json', 'w') as f:
        for entry in scalars:
            f.write(json.dumps(entry) + '\n')
    log = ['12/01 10:00:00 - mmengine - INFO - Iter(train) [ 10/20]']
    if iou is not None:
        log += ['12/01 10:00:01 - mmengine - INFO - per class results:',
                '12/01 10:00:01 - mmengine - INFO - ', _table(iou),
                '12/01 10:00:01 - mmengine - INFO - summary (subsets ...):']
    (d / f'{stamp}.log').write_text('\n'.join(log) + '\n')


def test_final_values_mean_std_and_per_class(tmp_path, capsys):
    train = {'loss': 0.5, 'step': 10}
    # seed 0: validated at 10 and 20; the last validation counts
    _run(tmp_path / 'm_s0', '20260101_000000',
         [train, dict(mIoU10=10.0, step=10), dict(mIoU10=30.0, step=20)],
         dict(road=20.0, sky=40.0))
    # seed 1: stopped after iteration 10, resumed into a second folder
    _run(tmp_path / 'm_s1', '20260101_000000',
         [dict(mIoU10=12.0, step=10)], dict(road=1.0, sky=2.0))
    _run(tmp_path / 'm_s1', '20260102_000000',
         [train, dict(mIoU10=36.0, step=20)], dict(road=30.0, sky=50.0))
    _run(tmp_path / 'b_s0', '20260101_000000', [dict(mIoU10=5.0, step=20)],
         dict(road=3.0, sky=7.0))
    out = tmp_path / 'summary.json'
    results = _tool().main([
        f'method={tmp_path}/m_s*', f'base={tmp_path}/b_s*', '--metric',
        'mIoU10', '--per-class', '--out',
        str(out)
    ])
    method, base = results
    assert [r['value'] for r in method['runs']] == [30.0, 36.0]
    assert method['mean'] == 33.0
    assert method['std'] == pytest.approx(statistics.stdev([30.0, 36.0]))
    assert method['std'] == pytest.approx(4.2426, abs=1e-4)
    assert method['per_class_mean'] == dict(road=25.0, sky=45.0)
    assert base['std'] == 0.0 and base['mean'] == 5.0
    assert json.loads(out.read_text())[0]['mean'] == 33.0
    printed = capsys.readouterr().out
    assert '| method | 30.00 | 36.00 | **33.00 +- 4.24** |' in printed
    assert '| road | 25.0 | 3.0 |' in printed


def test_missing_metric_or_folder_names_the_work_dir(tmp_path):
    tool = _tool()
    _run(tmp_path / 'x_s0', '20260101_000000', [dict(loss=1.0, step=1)])
    with pytest.raises(KeyError, match='x_s0.*mIoU10'):
        tool.main([f'x={tmp_path}/x_s*', '--metric', 'mIoU10'])
    (tmp_path / 'empty').mkdir()
    with pytest.raises(FileNotFoundError, match='empty.*scalars.json'):
        tool.main([f'e={tmp_path}/empty', '--metric', 'mIoU10'])
    with pytest.raises(FileNotFoundError, match='no work_dir matches'):
        tool.main([f'n={tmp_path}/nothing*'])
    with pytest.raises(ValueError, match='per class'):
        tool.main([f'x={tmp_path}/x_s*', '--metric', 'loss', '--per-class'])


def test_classes_absent_everywhere_are_left_out_of_the_table(tmp_path, capsys):
    nan = float('nan')
    _run(tmp_path / 'm_s0', '20260101_000000', [dict(mIoU=1.0, step=1)],
         dict(road=20.0, wall=nan))
    _tool().main([f'm={tmp_path}/m_s*', '--per-class'])
    printed = capsys.readouterr().out
    assert '| road | 20.0 |' in printed and 'wall' not in printed
