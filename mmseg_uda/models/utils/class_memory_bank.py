"""Per-class FIFO memory banks of feature vectors (SIM: the samples S_j of
Eqn 5 and Algorithm 1, and the min_j of Eqns 6 and 8): the storage and the
nearest-entry distance, as functions over the bank tensors, so the aligner
that owns the banks keeps them as its own checkpointed buffers.

A bank is ``(J, cap, C)``: ``cap`` feature vectors of ``C`` channels for
each of ``J`` classes, with a next-write pointer ``ptr`` (J,) and a filled
count ``count`` (J,).
"""
import torch
from torch import Tensor


@torch.no_grad()
def fifo_write(bank: Tensor, ptr: Tensor, count: Tensor, samples: Tensor,
               ok: Tensor) -> Tensor:
    """Vectorised FIFO write into ``bank`` (J, cap, C), in place.

    Args:
        bank (Tensor): (J, cap, C) the banks, updated in place.
        ptr (Tensor): (J,) long, next write slot per class, updated.
        count (Tensor): (J,) long, filled slots per class, updated.
        samples (Tensor): (N, J, R, C) candidate features.
        ok (Tensor): (N, J, R) bool, which candidates to store.

    Per class j the accepted samples are written in (image, rank) order at
    ``ptr_j, ptr_j + 1, ...`` modulo ``cap``; of more than ``cap`` in one
    call only the last ``cap`` survive, as sequential writes would leave.

    Returns:
        Tensor: number of samples accepted (scalar long).
    """
    num, cap, c = bank.shape
    if num == 0:
        return ok.new_zeros((), dtype=torch.long)
    ok = ok.permute(1, 0, 2).reshape(num, -1)  # (J, N*R) in write order
    samples = samples.permute(1, 0, 2, 3).reshape(num, -1, c)
    order = ok.long().cumsum(1) - 1  # 0, 1, ... among accepted ones
    total = ok.long().sum(1, keepdim=True)
    keep = ok & (order >= total - cap)
    row = (ptr[:, None] + order) % cap
    index = torch.arange(num, device=bank.device)[:, None] * cap + row
    # the extra row num * cap absorbs the discarded samples
    index = torch.where(keep, index, num * cap)
    flat = torch.cat([bank.reshape(-1, c), bank.new_zeros(1, c)])
    flat.index_copy_(0, index.reshape(-1), samples.reshape(-1, c).float())
    bank.copy_(flat[:-1].view_as(bank))
    total = total[:, 0]
    ptr.copy_((ptr + total) % cap)
    count.copy_(torch.clamp(count + total, max=cap))
    return total.sum()


def nearest_distance(samples: Tensor, bank: Tensor) -> Tensor:
    """Mean absolute difference to the closest bank entry, per sample.

    ``d(v) = min_j mean_c |v_c - S_jc|`` (SIM Eqns 6, 8); the argmin is
    found without gradient (``cdist``, p=1) and the distance recomputed for
    it, which is the same value and the same (sub)gradient as the min.

    Args:
        samples (Tensor): (J, M, C) features of each class's samples.
        bank (Tensor): (J, cap, C) that class's bank.

    Returns:
        Tensor: (J, M), differentiable w.r.t. ``samples`` only.
    """
    with torch.no_grad():
        nearest = torch.cdist(samples.detach(), bank, p=1).argmin(2)
    entry = bank.gather(1, nearest[..., None].expand(-1, -1, bank.shape[-1]))
    return (samples - entry.detach()).abs().mean(-1)
