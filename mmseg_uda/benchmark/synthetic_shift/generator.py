"""Writing the synthetic benchmark to disk
(``tools/generate_synthetic_shift.py``).

A SOURCE dataset in the GTA5 layout and a TARGET dataset in the Cityscapes
layout, both labelled with Cityscapes label ids (plus
``*labelTrainIds.png`` in the 19 train ids), so the same dataset classes
and pipelines serve both domains::

    <out>/source/images/00000.png                     BGR uint8
    <out>/source/labels/00000.png                     label ids, uint8
    <out>/source/labels/00000_labelTrainIds.png       train ids, uint8
    <out>/target/leftImg8bit/{train,val}/synthcity/
        synthcity_000000_000000_leftImg8bit.png
    <out>/target/gtFine/{train,val}/synthcity/
        synthcity_000000_000000_gtFine_labelIds.png
        synthcity_000000_000000_gtFine_labelTrainIds.png
    <out>/meta.json                                   written last

The same seed gives byte-identical files whatever the number of workers.
"""
import json
import os
import os.path as osp
import shutil
from multiprocessing import Pool
from typing import Dict, List, Sequence, Tuple

import numpy as np
from mmengine.utils import track_parallel_progress, track_progress

from mmseg_uda.datasets.file_io import atomic_imwrite, atomic_write_bytes
from mmseg_uda.datasets.label_mapping import CITYSCAPES_CLASSES, IGNORE_INDEX
from .renderer import render_sample, to_train_ids
from .styles import ALLOWED_LABEL_IDS, TARGET_PALETTES, USED_CLASSES

GENERATOR_VERSION = '1.1.0'

SOURCE_DIR = 'source'
TARGET_DIR = 'target'
TARGET_CITY = 'synthcity'
META_FILE = 'meta.json'


def _dump_json(obj: dict) -> bytes:
    return (json.dumps(obj, indent=2, sort_keys=True) + '\n').encode()


def sample_paths(out_dir: str, domain: str, split: str,
                 index: int) -> Tuple[str, str, str]:
    """(image, label ids, train ids) paths of one sample.

    Args:
        out_dir (str): Benchmark root.
        domain (str): 'source' (split ignored) or 'target'.
        split (str): 'train' or 'val'.
        index (int): Sample index within the split.
    """
    if domain == 'source':
        stem = f'{index:05d}'
        return (osp.join(out_dir, SOURCE_DIR, 'images', f'{stem}.png'),
                osp.join(out_dir, SOURCE_DIR, 'labels', f'{stem}.png'),
                osp.join(out_dir, SOURCE_DIR, 'labels',
                         f'{stem}_labelTrainIds.png'))
    stem = f'{TARGET_CITY}_{index:06d}_000000'
    img_dir = osp.join(out_dir, TARGET_DIR, 'leftImg8bit', split, TARGET_CITY)
    ann_dir = osp.join(out_dir, TARGET_DIR, 'gtFine', split, TARGET_CITY)
    return (osp.join(img_dir, f'{stem}_leftImg8bit.png'),
            osp.join(ann_dir, f'{stem}_gtFine_labelIds.png'),
            osp.join(ann_dir, f'{stem}_gtFine_labelTrainIds.png'))


def _sample_tasks(out_dir: str, params: dict) -> List[tuple]:
    tasks = []
    for domain, split, count, size in (('source', 'train',
                                        params['num_source'],
                                        params['source_size']),
                                       ('target', 'train',
                                        params['num_target_train'],
                                        params['target_size']),
                                       ('target', 'val',
                                        params['num_target_val'],
                                        params['target_size'])):
        for index in range(count):
            tasks.append((out_dir, params['seed'], domain, split, index,
                          tuple(size), params['source_void'],
                          params.get('target_palette', 'swapped')))
    return tasks


def _generate_one(task: tuple) -> Tuple[str, np.ndarray]:
    """Render and write one sample; returns (subset, train id counts)."""
    out_dir, seed, domain, split, index, size, source_void, palette = task
    label, image = render_sample(seed, domain, split, index, size, source_void,
                                 palette)
    train_ids = to_train_ids(label)
    img_path, ids_path, train_path = sample_paths(out_dir, domain, split,
                                                  index)
    atomic_imwrite(img_path, image)
    atomic_imwrite(ids_path, label)
    atomic_imwrite(train_path, train_ids)
    subset = 'source' if domain == 'source' else f'target_{split}'
    return subset, np.bincount(train_ids.ravel(), minlength=256)


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check_params(seed: int, counts: Dict[str, int],
                  sizes: Dict[str, Sequence[int]], nproc: int) -> None:
    if not _is_int(seed) or seed < 0:
        raise ValueError(f'seed must be a non-negative int, got {seed!r}')
    for name, count in counts.items():
        if not _is_int(count) or count < 0:
            raise ValueError(
                f'{name} must be a non-negative int, got {count!r}')
    for name, size in sizes.items():
        # Objects are a few pixels wide at 32 px; smaller is meaningless.
        if len(size) != 2 or not all(_is_int(v)
                                     for v in size) or min(size) < 32:
            raise ValueError(f'{name} must be (W, H) ints >= 32, got '
                             f'{size!r}')
    if not _is_int(nproc) or nproc < 1:
        raise ValueError(f'nproc must be an int >= 1, got {nproc!r}')


def expected_files(out_dir: str, params: dict) -> List[str]:
    """Every file a complete benchmark with ``params`` holds (no meta)."""
    files = []
    for task in _sample_tasks(out_dir, params):
        files.extend(sample_paths(out_dir, *task[2:5]))
    return files


def _existing_files(out_dir: str) -> List[str]:
    found = []
    for sub in (SOURCE_DIR, TARGET_DIR):
        for root, _, names in os.walk(osp.join(out_dir, sub)):
            found.extend(osp.join(root, n) for n in names)
    return sorted(found)


def generate_synthetic_shift(out_dir: str,
                             seed: int = 0,
                             num_source: int = 400,
                             num_target_train: int = 400,
                             num_target_val: int = 100,
                             source_size: Tuple[int, int] = (320, 180),
                             target_size: Tuple[int, int] = (256, 128),
                             source_void: bool = True,
                             target_palette: str = 'swapped',
                             overwrite: bool = False,
                             nproc: int = 1,
                             show_progress: bool = True) -> dict:
    """Generate the synthetic source/target benchmark under ``out_dir``.

    ``meta.json`` is written last and marks a complete benchmark. If it
    exists with the same parameters nothing is regenerated; with other
    parameters a ``FileExistsError`` is raised unless ``overwrite`` (which
    deletes ``source/``, ``target/`` and ``meta.json`` first).

    Args:
        out_dir (str): Output root.
        seed (int): Benchmark seed; the same seed gives identical files.
        num_source (int): Source images (GTA5 layout).
        num_target_train (int): Target train images (Cityscapes layout).
        num_target_val (int): Target val images.
        source_size (tuple[int, int]): Source (W, H).
        target_size (tuple[int, int]): Target (W, H).
        source_void (bool): Void clutter (ignored label) in the source, as
            real GTA5 has; False reproduces generator 1.0.0's data.
        target_palette (str): ``'swapped'`` (the benchmark),
            ``'consistent'`` (the variant without class-colour swaps) or
            ``'source'`` (the source's look, target layout; see
            ``TARGET_PALETTES``); recorded in ``meta.json`` only when not
            the default, so the default benchmark's files are unchanged.
        overwrite (bool): Replace an existing benchmark.
        nproc (int): Worker processes; does not change the output.
        show_progress (bool): Show a progress bar.

    Returns:
        dict: The meta data (also in ``<out_dir>/meta.json``).
    """
    source_size, target_size = tuple(source_size), tuple(target_size)
    _check_params(
        seed,
        dict(num_source=num_source,
             num_target_train=num_target_train,
             num_target_val=num_target_val),
        dict(source_size=source_size, target_size=target_size), nproc)
    params = dict(generator_version=GENERATOR_VERSION,
                  seed=int(seed),
                  num_source=int(num_source),
                  num_target_train=int(num_target_train),
                  num_target_val=int(num_target_val),
                  source_size=[int(v) for v in source_size],
                  target_size=[int(v) for v in target_size],
                  source_void=bool(source_void))
    if target_palette not in TARGET_PALETTES:
        raise ValueError(f'target_palette must be one of {TARGET_PALETTES}, '
                         f'got {target_palette!r}')
    if target_palette != 'swapped':
        params['target_palette'] = target_palette
    if osp.exists(out_dir) and not osp.isdir(out_dir):
        raise NotADirectoryError(f'{out_dir} exists and is not a directory')
    meta_path = osp.join(out_dir, META_FILE)
    expected = expected_files(out_dir, params)

    if osp.isfile(meta_path) and not overwrite:
        try:
            with open(meta_path) as f:
                meta = json.load(f)
            old = meta['params']
        except (ValueError, KeyError, TypeError) as e:
            raise ValueError(
                f'{meta_path} is not a valid synthetic-shift meta file '
                f'({e}); pass overwrite=True to regenerate') from e
        if old != params:
            raise FileExistsError(
                f'{out_dir} holds a synthetic-shift benchmark generated with '
                f'{old}, which differs from the requested {params}; pass '
                f'overwrite=True (--overwrite) to replace it')
        missing = [p for p in expected if not osp.isfile(p)]
        if missing:
            raise FileNotFoundError(
                f'{meta_path} marks a complete benchmark but {missing[0]} '
                f'(and {len(missing) - 1} more) is missing; pass '
                f'overwrite=True to regenerate')
        return meta

    if overwrite:
        for sub in (SOURCE_DIR, TARGET_DIR):
            shutil.rmtree(osp.join(out_dir, sub), ignore_errors=True)
        if osp.isfile(meta_path):
            os.remove(meta_path)
    else:
        # No meta: either fresh or an interrupted run of ours, whose files
        # are regenerated in place. Anything else is not ours to clobber.
        expected_set = set(expected)
        foreign = [
            p for p in _existing_files(out_dir)
            if p not in expected_set and not p.endswith('.tmp')
        ]
        if foreign:
            raise FileExistsError(
                f'{out_dir} has no {META_FILE} but holds {foreign[0]} (and '
                f'{len(foreign) - 1} more), which is not a file of the '
                f'requested benchmark; pass overwrite=True to replace it')

    for path in expected:
        os.makedirs(osp.dirname(path), exist_ok=True)
    tasks = _sample_tasks(out_dir, params)
    # Every sample seeds its own generator, so order and workers are free.
    if nproc > 1 and show_progress:
        results = track_parallel_progress(_generate_one,
                                          tasks,
                                          nproc,
                                          chunksize=8)
    elif nproc > 1:
        with Pool(nproc) as pool:
            results = pool.map(_generate_one, tasks, chunksize=8)
    elif show_progress:
        results = track_progress(_generate_one, tasks)
    else:
        results = [_generate_one(t) for t in tasks]

    counts = {
        'source': np.zeros(256, np.int64),
        'target_train': np.zeros(256, np.int64),
        'target_val': np.zeros(256, np.int64)
    }
    for subset, hist in results:
        counts[subset] += hist
    frequencies = {}
    for subset, hist in counts.items():
        total = max(int(hist.sum()), 1)
        freq = {
            name: round(float(hist[train_id]) / total, 6)
            for train_id, name in enumerate(CITYSCAPES_CLASSES)
            if name in USED_CLASSES
        }
        freq['ignore'] = round(float(hist[IGNORE_INDEX]) / total, 6)
        frequencies[subset] = freq

    meta = dict(generator='mmseg_uda.benchmark.synthetic_shift',
                params=params,
                counts=dict(source=params['num_source'],
                            target_train=params['num_target_train'],
                            target_val=params['num_target_val']),
                sizes=dict(source=params['source_size'],
                           target=params['target_size']),
                layout=dict(source=dict(img_dir=f'{SOURCE_DIR}/images',
                                        ann_dir=f'{SOURCE_DIR}/labels',
                                        img_suffix='.png',
                                        seg_map_suffix='_labelTrainIds.png',
                                        label_id_suffix='.png'),
                            target=dict(
                                data_root=TARGET_DIR,
                                img_dir='leftImg8bit/{train,val}',
                                ann_dir='gtFine/{train,val}',
                                img_suffix='_leftImg8bit.png',
                                seg_map_suffix='_gtFine_labelTrainIds.png',
                                label_id_suffix='_gtFine_labelIds.png')),
                classes=list(USED_CLASSES),
                label_ids=list(ALLOWED_LABEL_IDS),
                class_pixel_frequency=frequencies)
    # Written last: its presence marks a complete benchmark.
    atomic_write_bytes(meta_path, _dump_json(meta))
    return meta
