import torch

from mmseg_uda.models.utils import fifo_write, nearest_distance


def _bank(classes=2, cap=3, channels=1):
    return (torch.zeros(classes, cap,
                        channels), torch.zeros(classes, dtype=torch.long),
            torch.zeros(classes, dtype=torch.long))


def test_fifo_write_order_wraps_and_counts():
    bank, ptr, count = _bank()
    # two images, two classes, two candidates each; values say who is who
    samples = torch.tensor([[[1., 2.], [10., 20.]], [[3., 4.],
                                                     [30., 40.]]])[..., None]
    ok = torch.tensor([[[True, True], [True, False]],
                       [[True, False], [False, False]]])
    stored = fifo_write(bank, ptr, count, samples, ok)
    assert stored.item() == 4
    # class 0 takes 1, 2 (image 0) then 3 (image 1): slots 0, 1, 2
    assert bank[0, :, 0].tolist() == [1., 2., 3.]
    assert bank[1, :, 0].tolist() == [10., 0., 0.]
    assert ptr.tolist() == [0, 1] and count.tolist() == [3, 1]

    # class 0 is full: the next write overwrites its oldest slot (0)
    more = torch.tensor([[[5., 0.], [50., 60.]]])[..., None]
    ok = torch.tensor([[[True, False], [True, True]]])
    assert fifo_write(bank, ptr, count, more, ok).item() == 3
    assert bank[0, :, 0].tolist() == [5., 2., 3.]
    assert bank[1, :, 0].tolist() == [10., 50., 60.]
    assert ptr.tolist() == [1, 0] and count.tolist() == [3, 3]


def test_fifo_write_keeps_the_last_cap_of_one_call():
    bank, ptr, count = _bank(classes=1, cap=2)
    samples = torch.tensor([[[1., 2., 3.]]])[..., None]  # N=1, J=1, R=3
    ok = torch.ones(1, 1, 3, dtype=torch.bool)
    assert fifo_write(bank, ptr, count, samples, ok).item() == 3
    # writes 1 -> slot 0, 2 -> slot 1, 3 -> slot 0 (wraps): slots [3, 2]
    assert bank[0, :, 0].tolist() == [3., 2.]
    assert ptr.tolist() == [1] and count.tolist() == [2]


def test_nearest_distance_by_hand():
    bank = torch.tensor([[[0., 0.], [4., 2.]]])  # J=1, cap=2, C=2
    samples = torch.tensor([[[1., 1.], [3., 3.]]], requires_grad=True)
    d = nearest_distance(samples, bank)
    # (1, 1): |1-0| + |1-0| = 2 -> 1.0 vs |1-4| + |1-2| = 4 -> 2.0: 1.0
    # (3, 3): 3.0 vs |3-4| + |3-2| = 2 -> 1.0: 1.0
    assert d.tolist() == [[1.0, 1.0]]
    d.sum().backward()
    # d/dv of mean |v - S| is sign(v - S) / C, against the nearest entry
    assert samples.grad.tolist() == [[[0.5, 0.5], [-0.5, 0.5]]]
