"""Print the recipe cards of configs and check them against the configs.

Each full-size config states which paper row it reproduces and, for every
recipe value (learning rates, schedule and stop, sizes, batch, loss
weights, levels, init, evaluation, TTA), where the value comes from
(`mmseg_uda/utils/recipe_card.py`). This tool prints a config's card and
flags every value the resolved config no longer matches::

    python tools/recipe_card.py configs/globallocal/deeplabv2_gta2city.py
    python tools/recipe_card.py configs --check          # every config
    python tools/recipe_card.py configs --table out.md   # reproduction table

Exit status 1 when a card is missing or a value does not match.
"""
import argparse
import glob
import os.path as osp
import sys
from typing import List, Optional, Sequence

from mmengine.config import Config

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmseg_uda.utils.recipe_card import check_card, format_card  # noqa: E402

# Configs that reproduce no paper row: the synthetic benchmark and bases.
SKIPPED_DIRS = ('_base_', 'demo')


def full_size_configs(paths: Sequence[str]) -> List[str]:
    """Config files under ``paths`` (files or folders), demo and bases
    excluded, sorted."""
    found = []
    for path in paths:
        if osp.isdir(path):
            for f in glob.glob(osp.join(path, '**', '*.py'), recursive=True):
                parts = osp.relpath(f, path).split(osp.sep)
                if not set(parts[:-1]) & set(SKIPPED_DIRS):
                    found.append(f)
        elif osp.isfile(path):
            found.append(path)
        else:
            raise FileNotFoundError(f'no config file or folder {path}')
    return sorted(found)


def reproduction_table(files: Sequence[str]) -> str:
    """Markdown table: paper row, config, paper number, command."""
    lines = [
        '| paper | row | task | paper | config | command |',
        '| --- | --- | --- | --- | --- | --- |',
    ]
    for f in files:
        card = Config.fromfile(f).get('recipe_card') or {}
        number = card.get('paper_miou')
        shown = '-' if number is None else f'{number} {card.get("metric")}'
        lines.append(f'| {card.get("paper", "-")} | {card.get("row", "-")} | '
                     f'{card.get("task", "-")} | {shown} | `{f}` | '
                     f'`python tools/train.py {f}` |')
    return '\n'.join(lines) + '\n'


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Print and check the recipe cards of configs')
    parser.add_argument('paths',
                        nargs='+',
                        help='config files or folders (demo and _base_ '
                        'folders are skipped)')
    parser.add_argument('--check',
                        action='store_true',
                        help='only report problems, one line per config')
    parser.add_argument('--table',
                        metavar='OUT',
                        help='write the reproduction table (markdown)')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    files = full_size_configs(args.paths)
    failed = 0
    for f in files:
        cfg = Config.fromfile(f)
        problems = check_card(cfg)
        failed += bool(problems)
        if args.check:
            status = 'ok' if not problems else '; '.join(problems)
            print(f'{f}: {status}')
        else:
            print(f'== {f}')
            print(format_card(cfg) if cfg.get('recipe_card') else
                  'no recipe_card')
            for p in problems:
                print(f'PROBLEM: {p}')
            print()
    if args.table:
        with open(args.table, 'w', encoding='utf-8') as out:
            out.write(reproduction_table(files))
        print(f'reproduction table of {len(files)} configs -> {args.table}')
    print(f'{len(files) - failed} of {len(files)} configs: card and config '
          'agree')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
