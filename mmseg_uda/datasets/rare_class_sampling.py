"""Rare class sampling of source images (DAFormer, Hoyer et al., CVPR 2022,
Sec. 3.3)."""
import json
import os.path as osp
from typing import Dict, List, Mapping, Tuple

import numpy as np

from mmseg.registry import DATA_SAMPLERS


def rcs_class_probabilities(class_pixels: Mapping[int, int],
                            temperature: float) -> Tuple[List[int],
                                                         np.ndarray]:
    """DAFormer Eq. 6: P(c) = exp((1 - f_c) / T) / sum_c' exp((1 - f_c') / T).

    Args:
        class_pixels (Mapping[int, int]): Source pixels per class.
        temperature (float): T (DAFormer: 0.01).

    Returns:
        tuple: The classes (sorted) and their probabilities.
    """
    if temperature <= 0:
        raise ValueError(f'rare class sampling: temperature must be > 0, '
                         f'got {temperature!r}')
    classes = sorted(c for c, n in class_pixels.items() if n > 0)
    if not classes:
        raise ValueError('rare class sampling: no class has source pixels')
    counts = np.array([class_pixels[c] for c in classes], dtype=np.float64)
    freq = counts / counts.sum()
    logits = (1.0 - freq) / temperature
    probs = np.exp(logits - logits.max())  # stable for small T
    return classes, probs / probs.sum()


@DATA_SAMPLERS.register_module()
class RareClassSampling:
    """Which source image a ``UDADataset`` index reads, drawn class-first.

    For every draw, a class c is sampled with :func:`rcs_class_probabilities`
    of the source pixel frequencies, then uniformly one source image that
    contains at least ``min_pixels`` pixels of c. The statistics come from
    the converters' ``sample_class_stats.json`` (image stem -> {train id:
    pixels}); images are matched to the source dataset by file stem. The
    draw takes a generator, so ``UDADataset`` makes it a function of the
    index and seed: the same in every worker, rank and resumed run.

    Args:
        stats_file (str): ``sample_class_stats.json`` of the source.
        temperature (float): T. Default: 0.01 (DAFormer).
        min_pixels (int): Pixels of c an image needs to be drawn for c.
            Default: 1 (decision: DAFormer's paper says "contains").
    """

    def __init__(self,
                 stats_file: str,
                 temperature: float = 0.01,
                 min_pixels: int = 1) -> None:
        if not osp.isfile(stats_file):
            raise FileNotFoundError(
                f'RareClassSampling: {stats_file} not found; the source '
                'converter (tools/dataset_converters/gta5.py / synthia.py) '
                'writes it')
        with open(stats_file, encoding='utf-8') as f:
            try:
                self.stats = {
                    str(name): {int(c): int(n)
                                for c, n in counts.items()}
                    for name, counts in json.load(f).items()
                }
            except (AttributeError, ValueError) as e:
                raise ValueError(
                    f'RareClassSampling: {stats_file} must map image '
                    f'names to {{train id: pixels}} ({e})') from e
        self.stats_file = stats_file
        self.temperature = temperature
        self.min_pixels = min_pixels
        self.classes: List[int] = []
        self.probs = np.zeros(0)
        self.images_of: Dict[int, np.ndarray] = {}

    def bind(self, dataset) -> None:
        """Index the images of ``dataset`` (its data list's file stems)."""
        stems = [
            osp.splitext(osp.basename(
                dataset.get_data_info(i)['img_path']))[0]
            for i in range(len(dataset))
        ]
        missing = [s for s in stems if s not in self.stats]
        if missing:
            raise KeyError(
                f'RareClassSampling: {len(missing)} source images have no '
                f'entry in {self.stats_file} (e.g. {missing[:3]}); rerun '
                'the converter')
        totals: Dict[int, int] = {}
        members: Dict[int, List[int]] = {}
        for index, stem in enumerate(stems):
            for c, n in self.stats[stem].items():
                totals[c] = totals.get(c, 0) + n
                if n >= self.min_pixels:
                    members.setdefault(c, []).append(index)
        classes, probs = rcs_class_probabilities(totals, self.temperature)
        keep = [i for i, c in enumerate(classes) if c in members]
        self.classes = [classes[i] for i in keep]
        self.probs = probs[keep] / probs[keep].sum()
        self.images_of = {
            c: np.array(members[c], dtype=np.int64)
            for c in self.classes
        }

    def source_index(self, rng: np.random.Generator) -> int:
        """Draw a class, then one of its images; returns the index."""
        if not self.classes:
            raise RuntimeError('RareClassSampling: call bind(dataset) first')
        c = self.classes[int(rng.choice(len(self.classes), p=self.probs))]
        images = self.images_of[c]
        return int(images[rng.integers(len(images))])
