"""tools/analysis/model_selection.py on a fake run's logs, by hand."""
import json

import numpy as np
import pytest
from tool_loading import load_tool


def _tool():
    return load_tool('analysis/model_selection.py')


def _write(folder, entries):
    vis = folder / 'vis_data'
    vis.mkdir(parents=True)
    with open(vis / 'scalars.json', 'w') as f:
        for e in entries:
            f.write(json.dumps(e) + '\n')


# (step, mIoU, entropy); the first run stops at 300 and is resumed
RUN = [(100, 20.0, 0.50), (200, 30.0, 0.40), (300, 25.0, 0.45)]
RESUMED = [(300, 26.0, 0.30), (400, 28.0, 0.35)]


@pytest.fixture
def work_dir(tmp_path):
    wd = tmp_path / 'run'
    train = [dict(step=s, loss=1.0, lr=0.1) for s in (50, 150)]
    _write(wd / '20260101_000000', train + [
        dict(step=s, mIoU=m, pred_entropy=e, aAcc=90.0) for s, m, e in RUN
    ])
    _write(wd / '20260102_000000', [
        dict(step=s, mIoU=m, pred_entropy=e) for s, m, e in RESUMED
    ])
    (wd / 'iter_400.pth').write_bytes(b'')
    (wd / 'best_mIoU_iter_200.pth').write_bytes(b'')
    return str(wd)


def test_history_merges_resumed_folders(work_dir):
    history = _tool().validation_history(work_dir, 'mIoU')
    assert [(e['step'], e['metric'], e['criterion']) for e in history] == [
        (100, 20.0, 0.5), (200, 30.0, 0.4), (300, 26.0, 0.3),
        (400, 28.0, 0.35)
    ]


def test_the_four_rules_and_the_correlation(work_dir, capsys):
    tool = _tool()
    result = tool.select(tool.validation_history(work_dir, 'mIoU'), 3,
                         work_dir)
    last, mean, oracle, entropy = result['rows']
    assert (last['step'], last['metric'], last['checkpoint']) == (
        400, 28.0, 'iter_400.pth')
    assert mean['step'] == '200-400'
    assert mean['metric'] == pytest.approx((30 + 26 + 28) / 3)
    assert mean['spread'] == pytest.approx(np.std([30, 26, 28], ddof=1))
    assert (oracle['step'], oracle['checkpoint']) == (200,
                                                      'best_mIoU_iter_200.pth')
    assert (entropy['step'], entropy['metric']) == (300, 26.0)
    assert entropy['checkpoint'] == '(not kept)'

    x, y = [0.5, 0.4, 0.3, 0.35], [20.0, 30.0, 26.0, 28.0]
    corr = result['correlation']
    assert corr['n'] == 4
    assert corr['pearson'] == pytest.approx(np.corrcoef(x, y)[0, 1])
    # ranks by hand: x -> 4, 3, 1, 2; y -> 1, 4, 2, 3
    assert corr['spearman'] == pytest.approx(
        np.corrcoef([4, 3, 1, 2], [1, 4, 2, 3])[0, 1])

    assert tool.main([work_dir, '--k', '3']) == 0
    printed = capsys.readouterr().out
    assert 'oracle' in printed and 'label-free' in printed
    assert 'Spearman' in printed


def test_spearman_ties_share_ranks():
    assert list(_tool()._ranks([1.0, 2.0, 2.0, 3.0])) == [1, 2.5, 2.5, 4]


def test_a_run_without_entropy_has_three_rules(tmp_path):
    wd = tmp_path / 'old'
    _write(wd / '20260101_000000', [dict(step=10, mIoU=5.0)])
    result = _tool().select(_tool().validation_history(str(wd), 'mIoU'), 3,
                            str(wd))
    assert len(result['rows']) == 3
    assert result['correlation']['pearson'] is None


def test_missing_logs_name_the_work_dir(tmp_path):
    with pytest.raises(FileNotFoundError, match='scalars.json'):
        _tool().validation_history(str(tmp_path), 'mIoU')
