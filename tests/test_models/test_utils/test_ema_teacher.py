"""EMATeacher: the EMA update by hand, the alpha ramp, buffers, no
gradients, and an exact continuation from a state dict (resume)."""
import pytest
import torch
from torch import nn

from mmseg_uda.models.utils import EMATeacher


def _student():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))


def test_alpha_ramp_and_update_value_by_hand():
    student = _student()
    teacher = EMATeacher(student, alpha=0.9)
    # alpha_n = min(1 - 1/(n+1), 0.9): 0, 0.5, 0.667, 0.75, ..., 0.9
    with torch.no_grad():
        teacher.model[0].weight.fill_(1.0)
        student[0].weight.fill_(3.0)
    assert teacher.update(student) == 0.0
    # the first update copies the student
    assert torch.equal(teacher.model[0].weight, student[0].weight)
    with torch.no_grad():
        student[0].weight.fill_(5.0)
    assert teacher.update(student) == pytest.approx(0.5)
    # 0.5 * 3 + 0.5 * 5
    assert torch.allclose(teacher.model[0].weight, torch.full((2, 2), 4.0))
    with torch.no_grad():
        student[0].weight.fill_(1.0)
    assert teacher.update(student) == pytest.approx(2 / 3)
    # 2/3 * 4 + 1/3 * 1 = 3
    assert torch.allclose(teacher.model[0].weight, torch.full((2, 2), 3.0))
    alphas = [teacher.current_alpha()]
    for _ in range(12):
        teacher.update(student)
        alphas.append(teacher.current_alpha())
    assert alphas[0] == pytest.approx(0.75)
    assert max(alphas) == pytest.approx(0.9)  # capped
    assert alphas[1] == pytest.approx(0.8) and alphas[6] == 0.9
    assert int(teacher.num_updates) == 15


def test_buffers_are_averaged_or_copied_and_no_gradients():
    student = _student()
    teacher = EMATeacher(student, alpha=0.99)
    assert not any(p.requires_grad for p in teacher.parameters())
    student.train()
    student(torch.randn(8, 2))  # moves the running stats
    teacher.update(student)  # alpha 0: copies
    bn_t, bn_s = teacher.model[1], student[1]
    assert torch.equal(bn_t.running_mean, bn_s.running_mean)
    assert int(bn_t.num_batches_tracked) == int(bn_s.num_batches_tracked) == 1
    old = bn_t.running_mean.clone()
    student(torch.randn(8, 2) + 5)
    teacher.update(student)  # alpha 0.5
    assert torch.allclose(bn_t.running_mean,
                          0.5 * old + 0.5 * bn_s.running_mean)
    assert int(bn_t.num_batches_tracked) == 2  # copied, not averaged


def test_predict_in_eval_mode_restores_the_flag():
    teacher = EMATeacher(_student())
    teacher.train()
    seen = []
    out = teacher.predict(lambda m, x: (seen.append(m.training), m(x))[1],
                          torch.randn(1, 2))  # batch 1 needs eval-mode BN
    assert seen == [False] and not out.requires_grad
    assert teacher.model.training


def test_state_dict_continues_exactly():
    student = _student()
    a = EMATeacher(student, alpha=0.99)
    for _ in range(3):
        with torch.no_grad():
            for p in student.parameters():
                p.add_(0.1)
        a.update(student)
    b = EMATeacher(_student(), alpha=0.99)
    b.load_state_dict(a.state_dict())
    assert int(b.num_updates) == 3
    for _ in range(2):
        with torch.no_grad():
            for p in student.parameters():
                p.mul_(1.1)
        assert a.update(student) == b.update(student)
    for (n, x), (_, y) in zip(a.state_dict().items(),
                              b.state_dict().items()):
        assert torch.equal(x, y), n


def test_bad_alpha_and_mismatched_student():
    with pytest.raises(ValueError, match='alpha'):
        EMATeacher(_student(), alpha=1.0)
    teacher = EMATeacher(_student())
    before = {k: v.clone() for k, v in teacher.state_dict().items()}
    with pytest.raises(KeyError, match='parameter'):
        teacher.update(nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2),
                                     nn.Linear(2, 2)))
    with pytest.raises(ValueError, match='shapes'):
        teacher.update(nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(2)))
    # nothing was written
    for k, v in teacher.state_dict().items():
        assert torch.equal(v, before[k]), k
