"""Speed and memory measurement of configs (``tools/benchmark.py``).

A tooling layer above ``engine``: it builds Runners and times them (and
holds the synthetic benchmark's scene generator), so it
may import every other layer; nothing in the library imports it.
"""
from .speed import (benchmark_config, fix_stage, format_table, pool_rounds,
                    source_only_cfg)

__all__ = [
    'benchmark_config', 'fix_stage', 'format_table', 'pool_rounds',
    'source_only_cfg'
]
