"""Exponential-moving-average teacher of a student network (DACS, DAFormer,
MIC self-training)."""
import copy

import torch
from torch import Tensor, nn


class EMATeacher(nn.Module):
    """A copy of the student whose weights follow the student's by EMA.

    After every student step, :meth:`update` sets, for every parameter and
    floating-point buffer (DACS Sec. 3.2, DAFormer Sec. 3.1)::

        alpha_n = min(1 - 1 / (n + 1), alpha)
        teacher = alpha_n * teacher + (1 - alpha_n) * student

    where ``n`` is the number of updates so far, so the first update
    copies the student (alpha_0 = 0) and early teachers follow it closely.
    Integer buffers (BN's ``num_batches_tracked``) are copied. The teacher
    never takes gradients and is no optimizer's: ``requires_grad`` is off
    for all its parameters.

    ``num_updates`` is a buffer, so the teacher's weights and its place on
    the alpha curve are in every checkpoint and a resumed run continues
    exactly (the MMSeg 0.x forks rebuild the teacher on resume). Under DDP
    each rank updates its teacher from the unwrapped student, whose
    weights are identical on all ranks after the step, so the teachers
    stay identical without communication.

    Decision (the papers are silent): the teacher predicts in eval mode,
    with its BN running statistics (:meth:`predict`); floating-point
    buffers (those statistics) are averaged like parameters.

    Args:
        student (nn.Module): The network to follow; deep-copied.
        alpha (float): Largest EMA weight of the teacher (DACS 0.99,
            DAFormer / MIC 0.999).
    """

    def __init__(self, student: nn.Module, alpha: float = 0.99) -> None:
        super().__init__()
        if not 0.0 <= alpha < 1.0:
            raise ValueError(f'EMATeacher: alpha must be in [0, 1), got '
                             f'{alpha!r}')
        self.alpha = alpha
        self.model = copy.deepcopy(student)
        for param in self.model.parameters():
            param.requires_grad_(False)
        self.register_buffer('num_updates', torch.zeros((), dtype=torch.long))

    def current_alpha(self) -> float:
        """The EMA weight the next :meth:`update` uses."""
        n = int(self.num_updates)
        return min(1.0 - 1.0 / (n + 1), self.alpha)

    @torch.no_grad()
    def update(self, student: nn.Module) -> float:
        """One EMA step towards ``student`` (unwrapped); returns alpha."""
        alpha = self.current_alpha()
        params = self._pairs(dict(self.model.named_parameters()),
                             dict(student.named_parameters()), 'parameter')
        buffers = self._pairs(dict(self.model.named_buffers()),
                              dict(student.named_buffers()), 'buffer')
        for mine, theirs in params:
            mine.mul_(alpha).add_(theirs.detach(), alpha=1.0 - alpha)
        for mine, theirs in buffers:
            if mine.is_floating_point():
                mine.mul_(alpha).add_(theirs.detach(), alpha=1.0 - alpha)
            else:
                mine.copy_(theirs)
        self.num_updates += 1
        return alpha

    @torch.no_grad()
    def reset(self, student: nn.Module) -> None:
        """Copy ``student`` and restart the alpha ramp (``num_updates`` 0).

        The next :meth:`update` copies again (alpha_0 = 0), so a teacher
        reset before weights are loaded into the student still starts from
        the loaded student.
        """
        self.update(student)
        self.num_updates.zero_()

    @staticmethod
    def _pairs(mine: dict, theirs: dict, kind: str) -> list:
        """(teacher, student) tensors by name; checked before any write,
        so a mismatched student leaves the teacher untouched."""
        if mine.keys() != theirs.keys():
            raise KeyError(
                f'EMATeacher: student and teacher {kind}s differ: missing '
                f'{sorted(mine.keys() - theirs.keys())}, unexpected '
                f'{sorted(theirs.keys() - mine.keys())}')
        bad = [n for n in mine if mine[n].shape != theirs[n].shape]
        if bad:
            raise ValueError(f'EMATeacher: {kind} shapes differ for {bad}')
        return [(mine[n], theirs[n]) for n in mine]

    @torch.no_grad()
    def predict(self, fn, *args, **kwargs) -> Tensor:
        """``fn(teacher_model, *args)`` in eval mode without gradients.

        The teacher's training flag is restored afterwards, so the caller's
        ``model.train()`` / ``eval()`` decisions stay in force.
        """
        mode = self.model.training
        self.model.eval()
        try:
            return fn(self.model, *args, **kwargs)
        finally:
            self.model.train(mode)
