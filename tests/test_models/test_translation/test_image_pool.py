"""ImagePool: CycleGAN's history of generated images for the D updates."""
import pytest
import torch

from mmseg_uda.models.translation import ImagePool


def _img(value, shape=(3, 4, 4)):
    return torch.full((1, ) + shape, float(value))


def _values(batch):
    return [float(x.flatten()[0]) for x in batch]


def test_fills_up_returning_the_fresh_images():
    pool = ImagePool(size=3)
    out = pool.query(torch.cat([_img(0), _img(1)]))
    assert _values(out) == [0.0, 1.0]
    assert len(pool) == 2
    out = pool.query(torch.cat([_img(2), _img(3)]))
    # the third image fills the pool; the fourth meets a full pool
    assert _values(out)[0] == 2.0
    assert len(pool) == 3


def test_full_pool_always_swaps_with_swap_prob_one():
    torch.manual_seed(0)
    pool = ImagePool(size=2, swap_prob=1.0)
    pool.query(torch.cat([_img(0), _img(1)]))
    out = pool.query(_img(7))
    returned = _values(out)[0]
    assert returned in (0.0, 1.0)  # an old image comes back ...
    stored = sorted(_values(pool.images))
    # ... and the fresh one took its place
    assert stored == sorted([7.0, 1.0 - returned])


def test_full_pool_never_swaps_with_swap_prob_zero():
    pool = ImagePool(size=2, swap_prob=0.0)
    pool.query(torch.cat([_img(0), _img(1)]))
    for v in range(2, 10):
        assert _values(pool.query(_img(v))) == [float(v)]
    assert _values(pool.images) == [0.0, 1.0]


def test_half_of_the_queries_return_history_by_default():
    torch.manual_seed(0)
    pool = ImagePool(size=5)
    pool.query(torch.cat([_img(-1 - i) for i in range(5)]))
    old = sum(_values(pool.query(_img(v)))[0] != v for v in range(400))
    assert 150 < old < 250  # p = 0.5: 200 +- 5 sigma


def test_size_zero_is_a_pass_through_and_outputs_are_detached():
    x = torch.randn(2, 3, 4, 4, requires_grad=True)
    out = ImagePool(size=0).query(x * 2)
    assert torch.equal(out, x.detach() * 2) and not out.requires_grad
    out = ImagePool(size=4).query(x * 2)
    assert not out.requires_grad


def test_a_stored_image_of_another_shape_is_never_returned():
    pool = ImagePool(size=1, swap_prob=1.0)
    pool.query(_img(0, shape=(3, 8, 8)))
    out = pool.query(_img(5))
    assert out.shape == (1, 3, 4, 4) and _values(out) == [5.0]


def test_state_dict_round_trip_resumes_the_same_history(tmp_path):
    torch.manual_seed(0)
    pool = ImagePool(size=3)
    for v in range(5):
        pool.query(_img(v))
    path = tmp_path / 'pool.pth'
    torch.save(pool.state_dict(), path)
    restored = ImagePool(size=3)
    restored.load_state_dict(torch.load(path, weights_only=False))
    assert len(restored) == 3
    for a, b in zip(pool.images, restored.images):
        assert torch.equal(a, b)
    # the same random stream gives the same answers from now on
    torch.manual_seed(1)
    a = [pool.query(_img(10 + v)) for v in range(6)]
    torch.manual_seed(1)
    b = [restored.query(_img(10 + v)) for v in range(6)]
    assert all(torch.equal(x, y) for x, y in zip(a, b))


def test_pool_can_be_left_out_of_checkpoints():
    pool = ImagePool(size=3, save_in_checkpoint=False)
    pool.query(torch.cat([_img(0), _img(1)]))
    restored = ImagePool(size=3)
    restored.load_state_dict(pool.state_dict())
    assert len(pool) == 2 and len(restored) == 0


@pytest.mark.parametrize('kwargs', [dict(size=-1), dict(size=2.5),
                                    dict(swap_prob=1.5)])
def test_invalid_arguments(kwargs):
    with pytest.raises(ValueError):
        ImagePool(**kwargs)
