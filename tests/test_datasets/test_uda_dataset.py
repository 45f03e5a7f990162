import itertools
import os.path as osp

import numpy as np
import pytest
from mmengine.dataset import InfiniteSampler, pseudo_collate
from torch.utils.data import DataLoader

from mmseg.registry import DATA_SAMPLERS, DATASETS
from mmseg_uda.datasets import UDADataset, UDAInfiniteSampler
from fake_datasets import make_gta5, write_pair


class ListDataset:
    """Minimal dataset returning its items (no files needed)."""

    def __init__(self, items, metainfo=None):
        self.items = list(items)
        self.metainfo = metainfo or {}

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        return self.items[idx]


def test_pairing_is_deterministic_and_virtual():
    source = ListDataset(range(5), metainfo=dict(classes=('a', 'b')))
    target = ListDataset(range(100, 107))
    ds = UDADataset(source, target, seed=3)
    assert len(ds) == 5
    assert ds.metainfo == dict(classes=('a', 'b'))
    for idx in [0, 4, 5, 12, 10**6]:
        expected_t = np.random.default_rng([3, idx]).integers(7)
        assert ds[idx] == dict(source=idx % 5, target=100 + expected_t)
        assert ds[idx] == UDADataset(source, target, seed=3)[idx]
    # Other passes over the same source sample re-draw the partner.
    partners = {ds[i]['target'] for i in range(2, 2 + 5 * 40, 5)}
    assert len(partners) > 1 and {ds[i]['source']
                                  for i in range(2, 200, 5)} == {2}
    other_seed = UDADataset(source, target, seed=4)
    assert [ds[i]['target'] for i in range(20)
            ] != [other_seed[i]['target'] for i in range(20)]
    with pytest.raises(IndexError):
        ds[-1]


def test_empty_and_bad_inputs():
    with pytest.raises(ValueError, match='target dataset.*empty'):
        UDADataset(ListDataset([1]), ListDataset([]))
    with pytest.raises(ValueError, match='source dataset.*empty'):
        UDADataset(ListDataset([]), ListDataset([1]))
    with pytest.raises(TypeError, match='target'):
        UDADataset(ListDataset([1]), 3)
    lazy = UDADataset(ListDataset([1]), ListDataset([]), lazy_init=True)
    with pytest.raises(ValueError, match='empty'):
        lazy[0]


def test_uda_dataset_from_config_collates(tmp_path):
    src_root = make_gta5(tmp_path / 'gta', n=3)
    tgt_root = tmp_path / 'city'
    for i in range(2):
        write_pair(str(tgt_root / 'leftImg8bit' / 'train' / 'aachen'),
                   None,
                   f'aachen_{i:06d}',
                   None,
                   19,
                   seed=10 + i,
                   img_suffix='_leftImg8bit.png')
    cfg = dict(type='UDADataset',
               seed=1,
               source=dict(type='GTA5Dataset',
                           data_root=src_root,
                           pipeline=[
                               dict(type='LoadImageFromFile'),
                               dict(type='LoadAnnotations'),
                               dict(type='CheckSegMap', num_classes=19),
                               dict(type='PackSegInputs')
                           ]),
               target=dict(type='CityscapesDataset',
                           data_root=str(tgt_root),
                           data_prefix=dict(img_path='leftImg8bit/train'),
                           pipeline=[
                               dict(type='LoadImageFromFile'),
                               dict(type='Resize',
                                    scale=(4, 2),
                                    keep_ratio=False),
                               dict(type='PackSegInputs')
                           ]))
    ds = DATASETS.build(cfg)
    assert isinstance(ds, UDADataset) and len(ds) == 3
    assert ds.metainfo['classes'][0] == 'road'
    batch = pseudo_collate([ds[0], ds[4]])
    assert set(batch) == {'source', 'target'}
    assert set(batch['source']) == {'inputs', 'data_samples'}
    assert len(batch['source']['inputs']) == 2
    assert batch['source']['data_samples'][1].img_path.endswith('00001.png')
    assert 'gt_sem_seg' in batch['source']['data_samples'][0]
    assert tuple(batch['target']['inputs'][0].shape) == (3, 2, 4)
    assert 'gt_sem_seg' not in batch['target']['data_samples'][0]
    expected = np.random.default_rng([1, 4]).integers(2)
    assert osp.basename(batch['target']['data_samples'][1].img_path) == (
        f'aachen_{expected:06d}_leftImg8bit.png')


def test_sampler_adds_pass_offsets():
    data = ListDataset(range(4))
    sampler = DATA_SAMPLERS.build(dict(type='UDAInfiniteSampler', seed=7),
                                  default_args=dict(dataset=data))
    assert isinstance(sampler, UDAInfiniteSampler)
    got = list(itertools.islice(iter(sampler), 12))
    base = list(itertools.islice(iter(InfiniteSampler(data, seed=7)), 12))
    # Same permutations as InfiniteSampler, pass p shifted by p * len.
    assert got == [b + 4 * (i // 4) for i, b in enumerate(base)]
    for p in range(3):
        assert sorted(got[4 * p:4 * p + 4]) == list(range(4 * p, 4 * p + 4))
    ordered = UDAInfiniteSampler(data, shuffle=False, seed=0)
    assert list(itertools.islice(iter(ordered), 9)) == list(range(9))


def test_sampler_is_rank_aware(monkeypatch):
    import mmengine.dataset.sampler as sampler_module
    data = ListDataset(range(3))
    full = list(itertools.islice(iter(UDAInfiniteSampler(data, seed=2)), 12))
    monkeypatch.setattr(sampler_module, 'get_dist_info', lambda: (1, 2))
    rank1 = list(itertools.islice(iter(UDAInfiniteSampler(data, seed=2)), 6))
    assert rank1 == full[1::2]


def test_dataloader_with_uda_sampler():
    source, target = ListDataset(range(3)), ListDataset(range(50))
    ds = UDADataset(source, target, seed=0)
    loader = DataLoader(ds,
                        batch_size=2,
                        sampler=UDAInfiniteSampler(ds, seed=0),
                        collate_fn=pseudo_collate)
    batches = list(itertools.islice(iter(loader), 3))
    indices = list(itertools.islice(iter(UDAInfiniteSampler(ds, seed=0)), 6))
    sources = [s for b in batches for s in b['source']]
    targets = [t for b in batches for t in b['target']]
    assert sources == [i % 3 for i in indices]
    assert targets == [
        int(np.random.default_rng([0, i]).integers(50)) for i in indices
    ]
