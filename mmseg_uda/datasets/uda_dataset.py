"""Source/target pairing for unsupervised domain adaptation (SPEC 2)."""
from typing import Optional, Union

import numpy as np
from torch.utils.data import Dataset

from mmseg.registry import DATA_SAMPLERS, DATASETS


@DATASETS.register_module()
class UDADataset:
    """Pair every source sample with a randomly drawn target sample.

    Indices are *virtual*: any ``idx >= 0`` is accepted, the source sample
    is ``source[idx % len(source)]`` and the target partner is drawn as
    ``np.random.default_rng([seed, idx]).integers(len(target))``. The pair
    of an index is therefore the same in every worker, rank and resumed
    run, while :class:`UDAInfiniteSampler` hands out ``p * len + i`` on
    pass ``p`` so that every pass over the source re-draws the partners.

    ``__getitem__`` returns ``{'source': s, 'target': t}`` where ``s`` and
    ``t`` are what the wrapped datasets return (packed inputs and data
    samples); ``pseudo_collate`` turns a batch into
    ``{'source': {'inputs': [...], 'data_samples': [...]}, 'target': ...}``.

    Args:
        source (dict | Dataset): Labelled source dataset or its config.
        target (dict | Dataset): Target dataset (images only) or config.
        seed (int): Seed of the target draw. Defaults to 0.
        lazy_init (bool): Defer :meth:`full_init`. Defaults to False.
        source_sampling (dict, optional): Draw the source image of every
            index instead of ``idx % len(source)``, e.g.
            ``dict(type='RareClassSampling', stats_file=...)`` (DAFormer's
            rare class sampling); the draw uses
            ``np.random.default_rng([seed, idx, 1])``, so it is as
            reproducible as the target draw.
    """

    def __init__(self,
                 source: Union[dict, Dataset],
                 target: Union[dict, Dataset],
                 seed: int = 0,
                 lazy_init: bool = False,
                 source_sampling: Optional[dict] = None) -> None:
        self.source = self._build(source, 'source')
        self.target = self._build(target, 'target')
        if not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f'UDADataset: seed must be a non-negative int, '
                             f'got {seed!r}')
        self.seed = int(seed)
        self.source_sampling = (None if source_sampling is None else
                                DATA_SAMPLERS.build(source_sampling))
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @staticmethod
    def _build(dataset: Union[dict, Dataset], role: str) -> Dataset:
        if isinstance(dataset, dict):
            return DATASETS.build(dataset)
        if hasattr(dataset, '__getitem__') and hasattr(dataset, '__len__'):
            return dataset
        raise TypeError(f'UDADataset: {role} must be a dataset config dict '
                        f'or a dataset, got {type(dataset).__name__}')

    @property
    def metainfo(self) -> dict:
        """Metainfo of the source dataset (classes, palette, ...)."""
        return getattr(self.source, 'metainfo', {})

    def full_init(self) -> None:
        """Fully initialise both datasets and check they are not empty."""
        if self._fully_initialized:
            return
        for role in ('source', 'target'):
            dataset = getattr(self, role)
            if hasattr(dataset, 'full_init'):
                dataset.full_init()
            if len(dataset) == 0:
                raise ValueError(
                    f'UDADataset: the {role} dataset '
                    f'({type(dataset).__name__}) is empty; expected at '
                    'least one sample')
        if self.source_sampling is not None:
            self.source_sampling.bind(self.source)
        self._fully_initialized = True

    def target_index(self, idx: int) -> int:
        """Index of the target partner of virtual index ``idx``."""
        rng = np.random.default_rng([self.seed, idx])
        return int(rng.integers(len(self.target)))

    def source_index(self, idx: int) -> int:
        """Index of the source sample of virtual index ``idx``."""
        if self.source_sampling is None:
            return idx % len(self.source)
        return self.source_sampling.source_index(
            np.random.default_rng([self.seed, idx, 1]))

    def __len__(self) -> int:
        return len(self.source)

    def __getitem__(self, idx: int) -> dict:
        """Return ``{'source': ..., 'target': ...}`` for virtual ``idx``."""
        if not self._fully_initialized:
            self.full_init()
        idx = int(idx)
        if idx < 0:
            raise IndexError(f'UDADataset: index must be >= 0, got {idx}')
        return dict(source=self.source[self.source_index(idx)],
                    target=self.target[self.target_index(idx)])
