"""Every resolved config equals its recorded digest (see
tests/resolved_configs.py): a refactor of the config files (bases,
inheritance) must leave what the Runner receives unchanged."""
import json

from resolved_configs import DIGESTS, all_digests


def test_resolved_configs_match_the_recorded_digests():
    recorded = json.load(open(DIGESTS, encoding='utf-8'))
    current = all_digests()
    assert sorted(current) == sorted(recorded), (
        'configs added or removed: record them with '
        '`python tests/resolved_configs.py --write`')
    changed = sorted(k for k in current if current[k] != recorded[k])
    assert not changed, (
        f'resolved content changed for {changed}; if meant, record it '
        'with `python tests/resolved_configs.py --write`')
