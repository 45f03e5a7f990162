"""AffinityRegressionLoss: hand-worked values, brute force, edge cases."""
import itertools
import math
from fractions import Fraction

import pytest
import torch
import torch.nn.functional as F

from mmseg.registry import MODELS
from mmseg_uda.models.losses import AffinityRegressionLoss
from mmseg_uda.models.losses.affinity_regression_loss import (
    label_affinity, nearest_grid_index, sqrt_affinity)

IGNORE = 255

# Four pixels of a 2x2 image, 3 classes. Each probability vector is the
# element-wise square of a unit vector with rational entries, so sqrt(p) and
# every affinity A_ij = <sqrt(p_i), sqrt(p_j)> are exact fractions.
SQRT_P = [
    (Fraction(2, 3), Fraction(2, 3), Fraction(1, 3)),  # pixel (0,0), label 0
    (Fraction(1, 3), Fraction(2, 3), Fraction(2, 3)),  # pixel (0,1), label 2
    (Fraction(6, 7), Fraction(3, 7), Fraction(2, 7)),  # pixel (1,0), label 0
    (Fraction(2, 7), Fraction(3, 7), Fraction(6, 7)),  # pixel (1,1), ignore
]
LABELS = [0, 2, 0, IGNORE]


def _logits_and_label():
    # logits = log p, so softmax(logits) = p exactly (each p sums to 1)
    probs = torch.tensor([[float(s)**2 for s in v] for v in SQRT_P],
                         dtype=torch.float64)
    logits = probs.log().t().reshape(1, 3, 2, 2).float()
    label = torch.tensor(LABELS).reshape(1, 2, 2)
    return logits, label


def test_hand_worked_example_single_grid():
    # Hand computation. p0, p1, p2 are valid; p3 is ignored.
    #   A01 = (2*1 + 2*2 + 1*2) / 9       = 8/9,   M01 = 0 (labels 0, 2)
    #   A02 = (2*6 + 2*3 + 1*2) / 21      = 20/21, M02 = 1 (labels 0, 0)
    #   A12 = (1*6 + 2*3 + 2*2) / 21      = 16/21, M12 = 0 (labels 2, 0)
    #   diagonal: A_ii = 1 = M_ii, error 0
    #   squared errors: (8/9)^2 = 64/81, (1/21)^2 = 1/441, (16/21)^2
    #   = 256/441; each off-diagonal pair appears twice (i,j and j,i).
    #   mean over the 3 x 3 valid pairs.
    err = Fraction(64, 81) + Fraction(1, 441) + Fraction(256, 441)
    expected = 2 * err / 9
    logits, label = _logits_and_label()
    # a 2x2 grid on a 2x2 image samples every pixel once
    loss = AffinityRegressionLoss(grid_sizes=(2, ), loss_weight=1.0)
    assert loss(logits, label).item() == pytest.approx(float(expected),
                                                       rel=1e-5)
    # loss_weight scales linearly (default 0.1, eq. 7)
    default = AffinityRegressionLoss(grid_sizes=(2, ))
    assert default(logits, label).item() == pytest.approx(
        0.1 * float(expected), rel=1e-5)


def test_hand_worked_example_two_grids_are_concatenated():
    # Grids 2x2 and 1x1: L = 4 + 1; the 1x1 grid samples pixel (0,0)
    # (row floor(0 * 2 / 1) = 0), a second copy "0'" of p0 with label 0.
    # Valid positions: 0, 1, 2, 0' -> 16 pairs. Off-diagonal errors:
    #   (0,1) 64/81, (0,2) 1/441, (1,2) 256/441,
    #   (0',1) 64/81, (0',2) 1/441, (0,0') (1 - 1)^2 = 0; each twice.
    err = Fraction(64, 81) * 2 + Fraction(1, 441) * 2 + Fraction(256, 441)
    expected = 2 * err / 16
    logits, label = _logits_and_label()
    loss = AffinityRegressionLoss(grid_sizes=(2, 1), loss_weight=1.0)
    assert loss.num_positions == 5
    assert loss(logits, label).item() == pytest.approx(float(expected),
                                                       rel=1e-5)


def test_sampled_affinity_matches_the_hand_values():
    logits, label = _logits_and_label()
    loss = AffinityRegressionLoss(grid_sizes=(2, ))
    sqrt_p, labels, valid = loss.sample(logits, label, IGNORE)
    assert labels.tolist() == [LABELS]
    assert valid.tolist() == [[True, True, True, False]]
    a = sqrt_affinity(sqrt_p)[0]
    assert a[0, 1].item() == pytest.approx(8 / 9, rel=1e-6)
    assert a[0, 2].item() == pytest.approx(20 / 21, rel=1e-6)
    assert a[1, 2].item() == pytest.approx(16 / 21, rel=1e-6)
    m = label_affinity(labels)[0]
    assert m[0, 2] == 1 and m[0, 1] == 0 and m[1, 2] == 0


def test_default_grid_is_paper_12_plus_6():
    loss = MODELS.build(dict(type='AffinityRegressionLoss'))
    assert isinstance(loss, AffinityRegressionLoss)
    assert loss.loss_name == 'loss_ar'
    assert loss.loss_weight == 0.1
    assert loss.num_positions == 144 + 36
    sqrt_p, labels, _ = loss.sample(torch.randn(2, 5, 40, 30),
                                    torch.randint(0, 5, (2, 40, 30)), IGNORE)
    assert sqrt_p.shape == (2, 5, 180) and labels.shape == (2, 180)


def test_nearest_index_is_the_interpolate_nearest_rule():
    h, w = 37, 53
    label = torch.randint(0, 7, (2, h, w))
    index = nearest_grid_index(h, w, [(12, 12), 6, (3, 5)], label.device)
    expected = torch.cat([
        F.interpolate(label[:, None].float(), size=s,
                      mode='nearest').flatten(1).long()
        for s in [(12, 12), (6, 6), (3, 5)]
    ], dim=1)
    assert torch.equal(label.flatten(1)[:, index], expected)


def _brute_force(logits, label, grid_sizes, ignore=IGNORE):
    """Independent O(L^2) Python loops over explicit grid positions."""
    b, c, h, w = logits.shape
    probs = F.softmax(logits.double(), dim=1)
    out = []
    for n in range(b):
        pos = []
        for gh, gw in grid_sizes:
            for r in range(gh):
                for q in range(gw):
                    pos.append((r * h // gh, q * w // gw))
        total, count = 0.0, 0
        for (r1, c1), (r2, c2) in itertools.product(pos, pos):
            y1, y2 = int(label[n, r1, c1]), int(label[n, r2, c2])
            if y1 == ignore or y2 == ignore:
                continue
            a = sum(
                math.sqrt(probs[n, k, r1, c1] * probs[n, k, r2, c2])
                for k in range(c))
            total += (a - float(y1 == y2))**2
            count += 1
        out.append(total / count if count else 0.0)
    return out


def test_matches_brute_force_with_ignore_pixels():
    torch.manual_seed(0)
    logits = torch.randn(2, 4, 11, 9) * 3
    label = torch.randint(0, 4, (2, 11, 9))
    label[torch.rand(2, 11, 9) < 0.3] = IGNORE
    grids = [(4, 4), (2, 3)]
    loss = AffinityRegressionLoss(grid_sizes=grids,
                                  reduction='none',
                                  loss_weight=1.0)
    expected = _brute_force(logits, label, grids)
    assert loss(logits, label).tolist() == pytest.approx(expected, rel=1e-5)


def test_avg_pooling_matches_brute_force():
    # 8x6 image, 4x3 and 2x2 grids: cells are exact 2x2 / 4x3 blocks.
    torch.manual_seed(1)
    logits = torch.randn(1, 3, 8, 6) * 2
    label = torch.randint(0, 3, (1, 8, 6))
    label[0, 0:2, 0:2] = IGNORE  # first 4x3 cell: no valid pixel
    label[0, 2:4, 0:2] = torch.tensor([[1, 1], [2, IGNORE]])  # majority 1
    probs = F.softmax(logits.double(), dim=1)[0]
    cells = []
    for gh, gw in [(4, 3), (2, 2)]:
        ch, cw = 8 // gh, 6 // gw
        for r in range(gh):
            for q in range(gw):
                block = label[0, r * ch:(r + 1) * ch, q * cw:(q + 1) * cw]
                vals = block[block != IGNORE]
                y = IGNORE if vals.numel() == 0 else int(
                    torch.bincount(vals, minlength=3).argmax())
                p = probs[:, r * ch:(r + 1) * ch,
                          q * cw:(q + 1) * cw].mean(dim=(1, 2))
                cells.append((y, p))
    assert cells[0][0] == IGNORE and cells[3][0] == 1
    total, count = 0.0, 0
    for (y1, p1), (y2, p2) in itertools.product(cells, cells):
        if IGNORE in (y1, y2):
            continue
        a = float(torch.sqrt(p1 * p2).sum())
        total += (a - float(y1 == y2))**2
        count += 1
    loss = AffinityRegressionLoss(grid_sizes=[(4, 3), (2, 2)],
                                  sampling='avg',
                                  eps=0.0,
                                  loss_weight=1.0)
    assert loss(logits, label).item() == pytest.approx(total / count,
                                                       rel=1e-5)


@pytest.mark.parametrize('sampling', ['nearest', 'avg'])
def test_perfect_one_hot_prediction_gives_zero(sampling):
    label = torch.randint(0, 5, (2, 24, 24))
    label[:, :3] = IGNORE
    logits = 40.0 * F.one_hot(torch.where(label == IGNORE, 0, label),
                              5).permute(0, 3, 1, 2).float()
    # avg pooling mixes classes inside a cell: use cell-constant labels
    if sampling == 'avg':
        label = label[:, ::12, ::12].repeat_interleave(12, 1) \
            .repeat_interleave(12, 2)
        logits = logits[:, :, ::12, ::12].repeat_interleave(12, 2) \
            .repeat_interleave(12, 3)
    loss = AffinityRegressionLoss(sampling=sampling, loss_weight=1.0)
    assert loss(logits, label).item() < 1e-10


@pytest.mark.parametrize('sampling', ['nearest', 'avg'])
def test_affinity_diagonal_is_one(sampling):
    loss = AffinityRegressionLoss(sampling=sampling)
    logits = torch.randn(3, 19, 30, 40) * 5
    sqrt_p, _, _ = loss.sample(logits, torch.zeros(3, 30, 40).long(),
                               IGNORE)
    diag = sqrt_affinity(sqrt_p).diagonal(dim1=1, dim2=2)
    assert torch.allclose(diag, torch.ones_like(diag), atol=1e-5)


@pytest.mark.parametrize('sampling', ['nearest', 'avg'])
def test_ignored_pixels_do_not_contribute(sampling):
    torch.manual_seed(2)
    logits = torch.randn(1, 4, 12, 12)
    label = torch.randint(0, 4, (1, 12, 12))
    # 6x6 + 3x3 grids on 12x12: nearest samples even rows/cols, avg cells
    # are 2x2 / 4x4 blocks; ignore one whole 4x4 block
    label[0, 4:8, 4:8] = IGNORE
    loss = AffinityRegressionLoss(grid_sizes=(6, 3),
                                  sampling=sampling,
                                  loss_weight=1.0)
    before = loss(logits, label)
    changed = logits.clone()
    changed[0, :, 4:8, 4:8] = torch.randn(4, 4, 4) * 10
    assert loss(changed, label).item() == pytest.approx(before.item(),
                                                        rel=1e-6)
    # while changing a valid pixel at a sampled location does change it
    changed[0, :, 0, 0] += torch.tensor([10., -10., 0., 0.])
    assert loss(changed, label).item() != pytest.approx(before.item(),
                                                        rel=1e-3)


def test_image_without_valid_pixels_contributes_zero():
    logits = torch.randn(2, 3, 16, 16, requires_grad=True)
    label = torch.randint(0, 3, (2, 16, 16))
    label[1] = IGNORE
    loss = AffinityRegressionLoss(loss_weight=1.0, reduction='none')
    per_image = loss(logits, label)
    assert per_image[1].item() == 0.0 and per_image[0].item() > 0
    mean = AffinityRegressionLoss(loss_weight=1.0)(logits, label)
    assert mean.item() == pytest.approx(per_image[0].item() / 2)
    mean.backward()
    assert torch.isfinite(logits.grad).all()
    assert logits.grad[1].abs().sum() == 0


@pytest.mark.parametrize('sampling', ['nearest', 'avg'])
def test_gradients_finite_where_probability_is_zero(sampling):
    logits = torch.zeros(1, 3, 12, 12)
    logits[:, 0] = 100.0
    logits[:, 1] = -100.0
    logits[:, :, 6:] = logits[:, :, 6:].flip(1)
    logits.requires_grad_(True)
    probs = F.softmax(logits, dim=1)
    assert (probs == 0).any()  # exp(-200) underflows in fp32
    label = torch.zeros(1, 12, 12).long()
    label[:, 6:] = 1
    loss = AffinityRegressionLoss(sampling=sampling)(logits, label)
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(logits.grad).all()


@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
def test_half_precision_input_computed_in_fp32(dtype):
    torch.manual_seed(3)
    logits = torch.randn(2, 6, 20, 20).to(dtype)
    label = torch.randint(0, 6, (2, 20, 20))
    loss = AffinityRegressionLoss()
    out = loss(logits, label)
    assert out.dtype == torch.float32
    ref = loss(logits.float(), label)
    assert out.item() == pytest.approx(ref.item(), rel=1e-6)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        inside = loss(logits.float(), label)
    assert inside.dtype == torch.float32
    assert inside.item() == pytest.approx(ref.item(), rel=1e-6)


def test_pixel_weights_weight_pairs():
    torch.manual_seed(4)
    logits = torch.randn(1, 3, 4, 4)
    label = torch.randint(0, 3, (1, 4, 4))
    loss = AffinityRegressionLoss(grid_sizes=(2, ),
                                  loss_weight=1.0,
                                  reduction='none')
    ones = torch.ones(1, 4, 4)
    assert torch.allclose(loss(logits, label, weight=ones),
                          loss(logits, label))
    # grid 2 on 4x4 samples pixels (0,0), (0,2), (2,0), (2,2)
    weight = torch.rand(1, 4, 4)
    pos = [(0, 0), (0, 2), (2, 0), (2, 2)]
    probs = F.softmax(logits.double(), dim=1)[0]
    total = 0.0
    for (r1, c1), (r2, c2) in itertools.product(pos, pos):
        a = float(torch.sqrt(probs[:, r1, c1] * probs[:, r2, c2]).sum())
        m = float(label[0, r1, c1] == label[0, r2, c2])
        total += float(weight[0, r1, c1] * weight[0, r2, c2]) * (a - m)**2
    assert loss(logits, label, weight=weight).item() == pytest.approx(
        total / 16, rel=1e-5)


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match='sampling'):
        AffinityRegressionLoss(sampling='bilinear')
    with pytest.raises(ValueError, match='grid size'):
        AffinityRegressionLoss(grid_sizes=(0, ))
    with pytest.raises(ValueError, match='same size'):
        AffinityRegressionLoss()(torch.randn(1, 3, 8, 8),
                                 torch.zeros(1, 4, 4).long())
    with pytest.raises(NotImplementedError, match='weights'):
        AffinityRegressionLoss(sampling='avg')(torch.randn(1, 3, 8, 8),
                                               torch.zeros(1, 8, 8).long(),
                                               weight=torch.ones(1, 8, 8))


def test_sqrt_affinity_is_bounded_by_one_eq_11():
    """Paper eq. (11): sum_k sqrt(p_ik p_jk) <= 1 (Cauchy-Schwarz), with 1
    exactly where two distributions are equal (the diagonal)."""
    import torch
    from mmseg_uda.models.losses.affinity_regression_loss import \
        sqrt_affinity
    torch.manual_seed(0)
    probs = torch.softmax(torch.randn(2, 5, 30) * 3, dim=1)
    aff = sqrt_affinity(probs.sqrt())
    assert aff.max() <= 1 + 1e-6 and aff.min() >= 0
    torch.testing.assert_close(torch.diagonal(aff, dim1=1, dim2=2),
                               torch.ones(2, 30))
