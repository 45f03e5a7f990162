"""Digests of every resolved config, to prove a config refactor changes
nothing (issue 23).

``python tests/resolved_configs.py --write`` records the sha256 of each
config's resolved content (``Config.fromfile(...).to_dict()`` as sorted
JSON) in ``tests/resolved_config_digests.json``;
``tests/test_configs/test_resolved_configs.py`` recomputes them. A change
of a resolved config that is meant must be recorded again with
``--write`` in the same commit, which makes it visible in review.

Only the keys something reads are hashed (:data:`CONSUMED_KEYS`): what
MMEngine's Runner takes, plus the keys our tools and MMSeg's APIs read.
The other top-level names are composition helpers, values a base offers
its leaves (``local_adv``, ``dacs_card_values``, ``crop_size``); their
values already sit inside the consumed keys, and a refactor may rename or
move them.
"""
import argparse
import glob
import hashlib
import json
import os.path as osp
import sys
from typing import Dict

from mmengine.config import Config

ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..'))
DIGESTS = osp.join(ROOT, 'tests', 'resolved_config_digests.json')


def leaf_configs():
    """Every config users run (not ``_base_``), relative to the repo."""
    paths = glob.glob(osp.join(ROOT, 'configs', '**', '*.py'),
                      recursive=True)
    return sorted(
        osp.relpath(p, ROOT) for p in paths if '_base_' not in p.split(
            osp.sep))


#: Read by ``Runner.from_cfg`` (MMEngine 0.10).
RUNNER_KEYS = ('model', 'work_dir', 'train_dataloader', 'val_dataloader',
               'test_dataloader', 'train_cfg', 'val_cfg', 'test_cfg',
               'auto_scale_lr', 'optim_wrapper', 'param_scheduler',
               'val_evaluator', 'test_evaluator', 'default_hooks',
               'custom_hooks', 'data_preprocessor', 'load_from', 'resume',
               'launcher', 'env_cfg', 'log_processor', 'log_level',
               'visualizer', 'default_scope', 'randomness',
               'experiment_name', 'model_wrapper_cfg')
#: Read by Config itself, tools/test.py --tta, MMSeg's inference API and
#: our tools (translation, recipe cards).
TOOL_KEYS = ('custom_imports', 'tta_model', 'tta_pipeline', 'test_pipeline',
             'translate_cfg', 'recipe_card')
CONSUMED_KEYS = RUNNER_KEYS + TOOL_KEYS


def _default(obj):
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    return repr(obj)


def resolved_digest(rel: str) -> str:
    cfg = Config.fromfile(osp.join(ROOT, rel)).to_dict()
    consumed = {k: v for k, v in cfg.items() if k in CONSUMED_KEYS}
    text = json.dumps(consumed, sort_keys=True, default=_default)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def all_digests() -> Dict[str, str]:
    return {rel: resolved_digest(rel) for rel in leaf_configs()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--write', action='store_true')
    args = parser.parse_args()
    digests = all_digests()
    if args.write:
        with open(DIGESTS, 'w', encoding='utf-8') as f:
            json.dump(digests, f, indent=1, sort_keys=True)
            f.write('\n')
        print(f'{len(digests)} digests -> {DIGESTS}')
        return 0
    recorded = json.load(open(DIGESTS, encoding='utf-8'))
    changed = sorted(k for k in digests if recorded.get(k) != digests[k])
    print('\n'.join(changed) or 'all resolved configs unchanged')
    return 1 if changed else 0


if __name__ == '__main__':
    sys.exit(main())
