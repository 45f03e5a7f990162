"""tools/benchmark_suite.sh: its usage, one fast part, failure counting.

The whole suite's CPU dry run takes minutes (README, "Performance"); here
only the AR-cost part runs, at a tiny size, which exercises the step
runner, the summary and the packed logs.
"""
import json
import os
import os.path as osp
import subprocess
import tarfile

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
SUITE = osp.join(REPO, 'tools', 'benchmark_suite.sh')


def _suite(args, tmp_path, cwd=None, **env):
    full_env = dict(os.environ,
                    DEVICE='cpu',
                    SIZE='32 32',
                    ITERS='1',
                    WARMUP='0',
                    WORK_DIR=str(tmp_path / 'work'),
                    CUDA_VISIBLE_DEVICES='')
    full_env.update(env)
    return subprocess.run(['bash', SUITE] + args,
                          env=full_env,
                          cwd=cwd,
                          capture_output=True,
                          text=True,
                          timeout=600)


def test_usage_without_arguments(tmp_path):
    proc = _suite([], tmp_path)
    assert proc.returncode == 2
    assert 'amp_accuracy' in proc.stdout and 'OUT_DIR' in proc.stdout


def test_one_part_writes_results_summary_and_logs(tmp_path):
    out = tmp_path / 'out'
    proc = _suite([str(out), 'ar'], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cost = json.loads((out / 'ar_cost.json').read_text())
    assert cost['device'] == 'cpu' and 'ar_share_of_iteration' in cost
    summary = (out / 'summary.txt').read_text()
    assert 'ar_cost: exit 0' in summary and '0 failed step(s)' in summary
    # the parts not asked for did not run
    assert 'speed_fp32' not in summary
    assert not (out / 'bench_fp32.json').exists()
    with tarfile.open(out / 'logs.tar.gz') as tar:
        assert 'logs/ar_cost.log' in tar.getnames()


def test_relative_paths_are_the_callers(tmp_path):
    # run from another folder: OUT_DIR and WORK_DIR resolve there, not in
    # the repository the script moves to
    proc = _suite(['out', 'ar'], tmp_path, WORK_DIR='work', cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / 'out' / 'ar_cost.json').is_file()
    assert (tmp_path / 'work' / 'logs' / 'ar_cost.log').is_file()
    assert not osp.exists(osp.join(REPO, 'out'))


def test_a_failed_step_is_counted_and_shown(tmp_path):
    out = tmp_path / 'out'
    proc = _suite([str(out), 'ar', 'amp'], tmp_path, PYTHON='false')
    assert proc.returncode == 1
    summary = (out / 'summary.txt').read_text()
    assert 'ar_cost: exit 1' in summary and '1 failed step(s)' in summary
    # the CUDA-only part says why it did not run
    assert 'amp: skipped (needs CUDA; DEVICE=cpu)' in summary
