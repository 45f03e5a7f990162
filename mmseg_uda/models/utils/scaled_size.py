from typing import Sequence, Tuple


def scaled_size(size: Sequence[int], scale: float,
                divisor: int) -> Tuple[int, ...]:
    """``size * scale`` per dimension, rounded half up to a multiple of
    ``divisor`` (at least ``divisor``).

    Used for the reconstruction size of LDR: M (a ResNet generator) halves
    its input twice, so the size must be a multiple of 4, e.g. half of a
    320x180 image is trained at 160x92, not 160x90.
    """
    if divisor < 1:
        raise ValueError(f'scaled_size needs divisor >= 1, got {divisor}')
    return tuple(
        max(divisor,
            int(s * scale / divisor + 0.5) * divisor) for s in size)
