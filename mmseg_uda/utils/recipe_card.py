"""Recipe cards: which paper row a config reproduces, and where each of its
recipe values comes from.

A full-size config carries::

    recipe_card = dict(
        paper='AdaptSegNet (Tsai et al., CVPR 2018)',
        row='Table 1, ResNet-101 multi-level',
        task='GTA5 -> Cityscapes',
        paper_miou=42.4,            # None where the paper gives no number
        metric='mIoU',              # or 'mIoU13', 'mIoU16', ...
        command='python tools/train.py {config}',  # optional, the default
        values=dict(
            g_lr=dict(key='optim_wrapper.segmentor.optimizer.lr',
                      value=2.5e-4,
                      source='paper, Sec. 4.1'),
            ...))

``key`` is a path into the resolved config: dots between names, ``[i]``
for a list index, ``['a.b']`` for a dict key holding dots and
``[field=value]`` for the list item whose ``field`` equals ``value``, e.g.
``custom_hooks[type=UDAStageHook].stages[name=local].iters``; None marks an
inherited value that does not apply (a D's lr in a config without D).
``source`` starts with ``paper``, ``official code`` (repository
and file) or ``decision`` (and why). Cards are inherited like the rest of a
config, so a leaf states only the values it changes; a leaf that changes a
value but not its card is caught by :func:`check_card`.
"""
import math
import re
from typing import Any, Dict, List, Sequence, Tuple

SOURCES = ('paper', 'official code', 'decision')
CARD_FIELDS = ('paper', 'row', 'task', 'paper_miou', 'metric', 'values')
_TOKEN = re.compile(r'([^.\[\]]+)|\[([^\]]+)\]')


class MissingKey(KeyError):
    """A card key that the config does not have."""


def _tokens(path: str) -> List[Tuple[str, str]]:
    tokens, pos = [], 0
    for match in _TOKEN.finditer(path):
        gap = path[pos:match.start()]
        if gap not in ('', '.'):
            raise ValueError(f'bad recipe card key {path!r} near {gap!r}')
        pos = match.end()
        name, index = match.groups()
        tokens.append(('name', name) if name is not None else
                      ('index', index))
    if pos != len(path) or not tokens:
        raise ValueError(f'bad recipe card key {path!r}')
    return tokens


def _literal(text: str) -> Any:
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text.strip('\'"')


def lookup(cfg: Any, path: str) -> Any:
    """The value at ``path`` in a (resolved) config; raises MissingKey."""
    node = cfg
    for kind, token in _tokens(path):
        if kind == 'name':
            if not hasattr(node, 'keys') or token not in node:
                raise MissingKey(f'{path}: no {token!r}')
            node = node[token]
            continue
        if token[:1] in '\'"':
            # a dict key that holds dots, e.g. optim_wrapper['local_adv.d']
            key = token.strip('\'"')
            if not hasattr(node, 'keys') or key not in node:
                raise MissingKey(f'{path}: no {key!r}')
            node = node[key]
            continue
        if not isinstance(node, (list, tuple)):
            raise MissingKey(f'{path}: [{token}] needs a list, found '
                             f'{type(node).__name__}')
        if '=' in token:
            field, want = token.split('=', 1)
            want = _literal(want)
            hits = [
                item for item in node
                if hasattr(item, 'get') and item.get(field) == want
            ]
            if len(hits) != 1:
                raise MissingKey(f'{path}: {len(hits)} items with '
                                 f'{field}={want!r}')
            node = hits[0]
        else:
            index = int(token)
            if not -len(node) <= index < len(node):
                raise MissingKey(f'{path}: index {index} out of range')
            node = node[index]
    return node


def _lookup_or_unset(cfg: Any, path: str, expected: Any) -> Any:
    """``lookup``, where a card value None also matches an unset last key
    of an existing dict (e.g. no ``save_best`` in the checkpoint hook)."""
    try:
        return lookup(cfg, path)
    except MissingKey:
        parent, dot, _ = path.rpartition('.')
        if expected is not None or not dot or not hasattr(
                lookup(cfg, parent), 'keys'):
            raise
        return None


def _plain(value: Any) -> Any:
    """Config containers as plain dicts / lists for comparison."""
    if hasattr(value, 'to_dict'):
        value = value.to_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def same_value(a: Any, b: Any) -> bool:
    """Equality where tuples equal lists and floats compare to 1e-12."""
    a, b = _plain(a), _plain(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same_value, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(
            same_value(a[k], b[k]) for k in a)
    return a == b


def card_rows(cfg: Any) -> List[Dict[str, Any]]:
    """One row per card value: name, key, expected, actual, source, ok."""
    card = cfg.get('recipe_card')
    rows = []
    for name, entry in (card or {}).get('values', {}).items():
        row = dict(name=name,
                   key=entry.get('key'),
                   expected=entry.get('value'),
                   source=entry.get('source'),
                   actual=None,
                   problem=None)
        if row['key'] is None:
            # an inherited value that does not apply (e.g. a D's lr in a
            # config without discriminator); its source says why
            rows.append(row)
            continue
        try:
            row['actual'] = _lookup_or_unset(cfg, entry['key'],
                                             row['expected'])
        except (MissingKey, ValueError, KeyError) as e:
            row['problem'] = f'not in the config ({e})'
        else:
            if not same_value(row['actual'], row['expected']):
                row['problem'] = (f'config has {_plain(row["actual"])!r}, '
                                  f'card says {_plain(row["expected"])!r}')
        rows.append(row)
    return rows


def check_card(cfg: Any,
               required: Sequence[str] = ('max_iters', 'batch')) -> List[str]:
    """Problems of a config's recipe card (empty: card and config agree).

    Args:
        cfg: A resolved config (``mmengine.Config``).
        required (Sequence[str]): Value names every card must have.
    """
    card = cfg.get('recipe_card')
    if not card:
        return ['no recipe_card']
    problems = [f'recipe_card has no {f!r}' for f in CARD_FIELDS
                if f not in card]
    values = card.get('values', {})
    problems += [f'recipe_card.values has no {r!r}' for r in required
                 if r not in values]
    if not any(name.endswith('lr') for name in values):
        problems.append('recipe_card.values has no learning rate (*lr)')
    for name, entry in values.items():
        needed = ('key', 'source') if entry.get('key', 1) is None else (
            'key', 'value', 'source')
        missing = [k for k in needed if k not in entry]
        if missing:
            problems.append(f'{name}: no {missing}')
            continue
        source = str(entry['source'])
        if not source.startswith(SOURCES):
            problems.append(f'{name}: source {source!r} must start with one '
                            f'of {SOURCES}')
    problems += [
        f'{row["name"]} ({row["key"]}): {row["problem"]}'
        for row in card_rows(cfg) if row['problem']
    ]
    return problems


def format_card(cfg: Any) -> str:
    """The card as a readable table (value, config, source, check)."""
    card = cfg.get('recipe_card') or {}
    head = [
        f'paper: {card.get("paper")}',
        f'row:   {card.get("row")} ({card.get("task")})',
        f'paper {card.get("metric")}: {card.get("paper_miou")}',
    ]
    rows = card_rows(cfg)
    table = [('value', 'config', 'source', 'check')]
    for row in rows:
        shown = row['expected'] if row['problem'] is None else row['actual']
        if row['key'] is None:
            shown = 'n/a'

        table.append((row['name'], shown if shown == 'n/a' else
                      repr(_plain(shown)), str(row['source']),
                      'ok' if row['problem'] is None else
                      'MISMATCH: ' + row['problem']))
    widths = [min(max(len(r[i]) for r in table), 48) for i in range(3)]
    lines = [
        '  '.join(cell.ljust(w) for cell, w in zip(r[:3], widths)) + '  ' +
        r[3] for r in table
    ]
    return '\n'.join(head + [''] + lines)
