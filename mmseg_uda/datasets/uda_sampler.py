"""Infinite sampler that hands out virtual indices for UDADataset."""
from typing import Iterator

import torch
from mmengine.dataset import InfiniteSampler

from mmseg.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class UDAInfiniteSampler(InfiniteSampler):
    """``InfiniteSampler`` whose pass ``p`` yields ``p * len(dataset) + i``.

    The underlying order is the one of :class:`InfiniteSampler` (same seed,
    same permutations, same rank slicing); only the pass number is added,
    so that :class:`UDADataset` draws new target partners on every pass
    while ``idx % len(dataset)`` still visits every source sample once per
    pass.

    Args:
        dataset (Sized): The dataset (usually a ``UDADataset``).
        shuffle (bool): Shuffle every pass. Defaults to True.
        seed (int, optional): Random seed; None syncs a random seed across
            ranks. Defaults to None.
    """

    def _infinite_indices(self) -> Iterator[int]:
        """Yield ``p * size + i`` for the permutations of every pass ``p``."""
        generator = torch.Generator()
        generator.manual_seed(self.seed)
        offset = 0
        while True:
            if self.shuffle:
                order = torch.randperm(self.size, generator=generator)
            else:
                order = torch.arange(self.size)
            yield from (order + offset).tolist()
            offset += self.size
