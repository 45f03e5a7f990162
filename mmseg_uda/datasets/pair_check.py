"""Pre-scan of image/label pairs for the dataset converters.

Real releases have bad pairs (GTA5: labels of another size than their
image, a few blank frames). The converters check every pair while they
convert it, fix what has a known fix and exclude the rest, so training
never meets a bad pair hours in:

* label size != image size: the train-id label is resized to the image
  with nearest neighbour (what the papers' data loaders do at load time);
* a few pixels with ids outside the dataset's id table: they become
  ignore (255), as every id without a train id does, and are reported;
* unreadable image or label, a label whose pixels are mostly unknown ids
  (more than :data:`UNKNOWN_ID_LIMIT`: a wrong kind of file, e.g. a colour
  or instance map), a blank image (one colour) or a label without any
  trainable pixel: the pair is excluded.

Each converter writes ``conversion_report.json`` (every fix and exclusion
with its reason) and ``excluded_pairs.txt`` (one sample name per line) in
the dataset root; the plugin's datasets drop the names listed there
(:class:`~mmseg_uda.datasets.validation.ValidatedSegDataset`).
"""
import os
import os.path as osp
from dataclasses import asdict, dataclass, field
from typing import Iterable, List, Optional, Set, Tuple

import cv2
import numpy as np

from .file_io import atomic_write_bytes, atomic_write_json

REPORT_FILE = 'conversion_report.json'
EXCLUDE_FILE = 'excluded_pairs.txt'
#: Share of unknown-id pixels above which a label is not a label map.
UNKNOWN_ID_LIMIT = 0.5
#: Reasons to exclude a pair.
PROBLEMS = ('unreadable_image', 'unreadable_label', 'label_ids_out_of_range',
            'blank_image', 'no_labelled_pixels')


@dataclass
class PairCheck:
    """What the pre-scan found for one pair.

    Attributes:
        name (str): Sample name (file name without suffix).
        problem (str, optional): One of :data:`PROBLEMS`; the pair is
            excluded. None for a usable pair.
        detail (str): Human-readable detail (error, ids, sizes).
        resized_from (tuple, optional): Label (H, W) before it was resized
            to the image's size.
        unknown_ids (list[int]): Ids outside the id table (their pixels
            are ignored).
    """
    name: str
    problem: Optional[str] = None
    detail: str = ''
    resized_from: Optional[Tuple[int, int]] = None
    unknown_ids: List[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.problem is not None and self.problem not in PROBLEMS:
            raise ValueError(f'PairCheck {self.name!r}: unknown problem '
                             f'{self.problem!r} (one of {PROBLEMS})')


def check_image(path: str) -> Tuple[Optional[str], str, Tuple[int, int]]:
    """Decode an image fully (truncation shows only then).

    Returns:
        tuple: problem (``'unreadable_image'``, ``'blank_image'`` or None),
        detail, and the image's (H, W) ((0, 0) when unreadable).
    """
    if not osp.isfile(path):
        return 'unreadable_image', f'image {path!r} is missing', (0, 0)
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        return ('unreadable_image',
                f'image {path!r} cannot be decoded (truncated or not an '
                'image)', (0, 0))
    size = img.shape[:2]
    if int(img.max()) == int(img.min()):
        return ('blank_image',
                f'image {path!r} is one colour (value {int(img.min())})',
                size)
    return None, '', size


def unknown_ids(ids: np.ndarray, max_id: int) -> Tuple[List[int], float]:
    """Ids in a raw label map above ``max_id`` and their pixel share."""
    unknown = ids > max_id
    present = np.unique(ids[unknown]) if unknown.any() else []
    return [int(i) for i in present], float(unknown.mean())


def check_label_ids(name: str, ids: np.ndarray, max_id: int,
                    path: str) -> PairCheck:
    """Exclude a label map of mostly unknown ids, report a few."""
    bad, share = unknown_ids(ids, max_id)
    if share > UNKNOWN_ID_LIMIT:
        return PairCheck(
            name, 'label_ids_out_of_range',
            f'label {path!r}: {share:.0%} of the pixels have ids {bad[:10]} '
            f'above {max_id} (is it a label-id map?)')
    return PairCheck(name, unknown_ids=bad)


def fit_to_image(train_ids: np.ndarray,
                 size: Tuple[int, int]) -> Tuple[np.ndarray, Optional[tuple]]:
    """Resize a train-id label to the image's (H, W) with nearest.

    Returns:
        tuple: the label and its (H, W) before resizing (None when the
        sizes already agree).
    """
    if tuple(train_ids.shape[:2]) == tuple(size):
        return train_ids, None
    resized = cv2.resize(train_ids, (size[1], size[0]),
                         interpolation=cv2.INTER_NEAREST)
    return resized, tuple(int(s) for s in train_ids.shape[:2])


def write_report(root: str, dataset: str,
                 checks: Iterable[PairCheck]) -> dict:
    """Write ``conversion_report.json`` and ``excluded_pairs.txt``.

    An earlier exclusion list is replaced (removed when nothing is
    excluded now), so converting again after fixing the data clears it.

    Returns:
        dict: The report (also in the JSON file).
    """
    checks = sorted(checks, key=lambda c: c.name)
    excluded = [c for c in checks if c.problem is not None]
    report = dict(
        dataset=dataset,
        pairs=len(checks),
        usable=len(checks) - len(excluded),
        resized=[asdict(c) for c in checks if c.resized_from is not None],
        unknown_ids_ignored=[asdict(c) for c in checks if c.unknown_ids],
        excluded={
            p: [asdict(c) for c in excluded if c.problem == p]
            for p in PROBLEMS
        },
    )
    atomic_write_json(osp.join(root, REPORT_FILE), report)
    exclude_path = osp.join(root, EXCLUDE_FILE)
    if excluded:
        atomic_write_bytes(
            exclude_path,
            ''.join(f'{c.name}\n' for c in excluded).encode('utf-8'))
    elif osp.exists(exclude_path):
        os.remove(exclude_path)
    return report


def summary(report: dict, root: str) -> str:
    """A few lines for the console: counts and the first names per kind."""
    lines = [
        f'{report["dataset"]}: {report["pairs"]} pairs checked, '
        f'{report["usable"]} usable, {len(report["resized"])} labels '
        'resized to their image (nearest), '
        f'{len(report["unknown_ids_ignored"])} with unknown ids ignored'
    ]
    for problem, items in report['excluded'].items():
        if items:
            names = ', '.join(i['name'] for i in items[:5])
            more = ' ...' if len(items) > 5 else ''
            lines.append(f'  excluded, {problem}: {len(items)} ({names}'
                         f'{more})')
    lines.append(f'  report: {osp.join(root, REPORT_FILE)}')
    if any(report['excluded'].values()):
        lines.append(f'  excluded names: {osp.join(root, EXCLUDE_FILE)} '
                     '(the datasets skip them)')
    return '\n'.join(lines)


def read_excluded(root: Optional[str]) -> Set[str]:
    """Names listed in ``<root>/excluded_pairs.txt`` (empty without)."""
    if not root:
        return set()
    path = osp.join(root, EXCLUDE_FILE)
    if not osp.isfile(path):
        return set()
    with open(path, encoding='utf-8') as f:
        return {line.strip() for line in f if line.strip()}


def finish_conversion(root: str, dataset: str, results: Iterable[tuple],
                      stats_file: str) -> dict:
    """Write a converter's outputs from its ``(name, counts, PairCheck)``
    results: the report and exclusion list, a console summary, and the
    class statistics of the usable pairs (``stats_file`` in ``root``).

    Returns:
        dict: Image name -> ``{train_id: pixels}`` of the usable pairs.
    """
    results = list(results)
    stats = {name: counts for name, counts, _ in results if counts is not None}
    report = write_report(root, dataset, [check for _, _, check in results])
    print('\n' + summary(report, root))
    atomic_write_json(osp.join(root, stats_file), stats)
    return stats
