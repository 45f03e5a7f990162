"""Connected-component labelling of label maps, vectorised in torch.

Used by ``StuffInstanceMatching`` (SPEC 4.4) to split the pixels of a thing
class into "instances" (8-connected regions, the paper's operator T in
Eqn 7). Everything runs on the tensors' device with fixed-shape operations;
the only host synchronisation is the convergence test of the propagation,
done once every ``check_every`` iterations.

Algorithm (label propagation with hooking and pointer jumping): every pixel
``p`` holds a label ``L(p)``, the flat index of a pixel of its own component
with ``L(p) <= p``; initially ``L(p) = p``. One iteration

1. pulls ``m(p) = min(L(p), L(q))`` over the neighbours ``q`` of ``p`` in the
   same component (same class, both valid),
2. hooks: the pixel ``r = L(p)`` takes ``min(L(r), m(p))`` (a scatter-min),
   so whole trees merge at once, not only their boundary pixels,
3. sets ``L(p) = min(L(p), m(p))`` and jumps pointers ``L(p) = L(L(p))``.

Each step keeps the invariant, and ``L`` only decreases, so the loop ends;
when an iteration changes nothing, ``L`` is equal on neighbours, hence
constant on each component, and that constant ``r`` satisfies ``L(r) = r``:
a unique representative ("root") per component.
"""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

#: Neighbour offsets (dy, dx) of 4- and 8-connectivity.
_OFFSETS = {
    4: ((-1, 0), (1, 0), (0, -1), (0, 1)),
    8: ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)),
}


def _shift(x: Tensor, pad: Tensor, dy: int, dx: int) -> Tensor:
    """``x[n, y + dy, x + dx]`` from the 1-padded copy ``pad`` of ``x``."""
    h, w = x.shape[1:]
    return pad[:, 1 + dy:1 + dy + h, 1 + dx:1 + dx + w]


def _pad(x: Tensor, value: int) -> Tensor:
    # F.pad's constant mode supports integer tensors on CPU and CUDA.
    return F.pad(x, (1, 1, 1, 1), mode='constant', value=value)


def connected_components(labels: Tensor,
                         valid: Optional[Tensor] = None,
                         connectivity: int = 8,
                         check_every: int = 4) -> Tensor:
    """Label the connected regions of equal value in a batch of maps.

    Two neighbouring pixels are connected iff both are valid and hold the
    same value, so a class map is split per class in one call, and a binary
    mask is labelled with ``labels=mask.long(), valid=mask``.

    Args:
        labels (Tensor): (N, H, W) integer class map (or a bool mask, then
            ``valid`` defaults to the mask itself).
        valid (Tensor, optional): (N, H, W) bool; invalid pixels belong to no
            component. Default: every pixel (or the mask, see above).
        connectivity (int): 8 (diagonals connect, like
            ``scipy.ndimage.label`` with ``structure=ones((3, 3))``) or 4.
            Default: 8.
        check_every (int): Iterations between two convergence tests (each
            test is one host-device sync). Default: 4.

    Returns:
        Tensor: (N, H, W) long: for valid pixels the flat index ``y * W + x``
        (within its image) of the component's representative pixel, -1
        elsewhere. Pixels share a value iff they are in the same component.
    """
    if labels.dim() != 3:
        raise ValueError('connected_components expects (N, H, W) labels, '
                         f'got shape {tuple(labels.shape)}')
    if connectivity not in _OFFSETS:
        raise ValueError(f'connectivity must be 4 or 8, got {connectivity}')
    if labels.dtype == torch.bool and valid is None:
        valid = labels
    labels = labels.long()
    valid = torch.ones_like(labels, dtype=torch.bool) if valid is None \
        else valid.bool()
    n, h, w = labels.shape
    numel = n * h * w
    if numel == 0:
        return torch.full_like(labels, -1)

    # Class -1 marks invalid pixels and the border, so they never match a
    # valid neighbour; values are shifted to be >= 0 first.
    cls = torch.where(valid, labels - labels.min(), labels.new_full((), -1))
    cls_pad = _pad(cls, -1)
    offsets = _OFFSETS[connectivity]
    same = [(_shift(cls, cls_pad, dy, dx) == cls) & valid
            for dy, dx in offsets]

    # Global flat index over the batch, so a single scatter/gather serves
    # every image; a neighbour across the border reads the sentinel.
    sentinel = numel
    lab = torch.arange(numel, device=labels.device).view(n, h, w)
    prev = lab
    it = 0
    while True:
        lab_pad = _pad(lab, sentinel)
        pulled = lab
        for (dy, dx), mask in zip(offsets, same):
            pulled = torch.minimum(
                pulled,
                torch.where(mask, _shift(lab, lab_pad, dy, dx),
                            lab.new_full((), sentinel)))
        flat = lab.reshape(-1)
        hooked = flat.scatter_reduce(0, flat, pulled.reshape(-1), 'amin')
        hooked = torch.minimum(hooked, pulled.reshape(-1))
        hooked = hooked.gather(0, hooked)
        lab = hooked.gather(0, hooked).view(n, h, w)
        it += 1
        if it % check_every == 0:
            # L only decreases, so "unchanged over check_every iterations"
            # means the last iteration changed nothing: converged.
            if torch.equal(lab, prev):
                break
            prev = lab
    image_start = (torch.arange(n, device=labels.device) * (h * w)).view(
        n, 1, 1)
    return torch.where(valid, lab - image_start, lab.new_full((), -1))


def component_sizes(components: Tensor) -> Tensor:
    """Pixel count of every component, indexed by its representative.

    Args:
        components (Tensor): (N, H, W) output of :func:`connected_components`.

    Returns:
        Tensor: (N, H * W) long; entry ``[n, r]`` is the size of the
        component whose representative is pixel ``r`` of image ``n``, 0 where
        ``r`` is no representative.
    """
    n, h, w = components.shape
    flat = components.reshape(n, h * w)
    valid = flat >= 0
    sizes = torch.zeros_like(flat)
    return sizes.scatter_add_(1, flat.clamp(min=0), valid.long())


def compact_components(components: Tensor) -> Tuple[Tensor, Tensor]:
    """Renumber components 0..K-1 per batch, in raster order of roots.

    Data-dependent output size (one sync); for inspection and tests, the
    aligner itself works on representatives.

    Args:
        components (Tensor): (N, H, W) from :func:`connected_components`.

    Returns:
        tuple[Tensor, Tensor]: ids (N, H, W) long in ``[0, K)`` over the
        whole batch (-1 for invalid pixels) and sizes (K,) long.
    """
    n, h, w = components.shape
    offset = (torch.arange(n, device=components.device) * (h * w)).view(
        n, 1, 1)
    glob = torch.where(components >= 0, components + offset, -1)
    valid = glob >= 0
    roots, inverse, sizes = torch.unique(glob[valid],
                                         return_inverse=True,
                                         return_counts=True)
    ids = torch.full_like(glob, -1)
    ids[valid] = inverse
    return ids, sizes


def largest_components(components: Tensor, labels: Tensor, classes: Tensor,
                       k: int) -> Tuple[Tensor, Tensor]:
    """The ``k`` largest components of each class in each image.

    Fixed output shape (no sync): missing components have size 0.
    Ties in size go to the component whose representative comes first in
    raster order, so the selection is deterministic.

    Args:
        components (Tensor): (N, H, W) from :func:`connected_components`.
        labels (Tensor): (N, H, W) the class map that was labelled.
        classes (Tensor): (J,) long, the classes to select for.
        k (int): Components kept per (image, class).

    Returns:
        tuple[Tensor, Tensor]: representatives (N, J, k) long (flat index in
        the image; -1 where fewer than k components exist) and their sizes
        (N, J, k) long, largest first.
    """
    n, h, w = components.shape
    hw = h * w
    sizes = component_sizes(components)  # (N, HW)
    flat_labels = labels.reshape(n, hw).long()
    # Class of every representative (its own pixel's class).
    of_class = flat_labels[:, None, :] == classes.view(1, -1, 1)  # N,J,HW
    score = torch.where(of_class, sizes[:, None, :], 0)
    # size * (HW + 1) + (HW - r): larger first, then smaller index r.
    index = torch.arange(hw, device=components.device)
    key = score * (hw + 1) + (hw - index)
    key = torch.where(score > 0, key, 0)
    kk = min(k, hw)
    top_key, top_idx = key.topk(kk, dim=2)
    top_size = torch.div(top_key, hw + 1, rounding_mode='floor')
    top_idx = torch.where(top_size > 0, top_idx, -1)
    if kk < k:  # maps smaller than k pixels
        pad = (0, k - kk)
        top_idx = F.pad(top_idx, pad, value=-1)
        top_size = F.pad(top_size, pad, value=0)
    return top_idx, top_size
