"""One picture of a training step for the UDA debug panels."""
from dataclasses import dataclass

from torch import Tensor

#: How a map is drawn (``mmseg_uda.visualization.debug_panel``).
DEBUG_MAP_KINDS = (
    'input',  # G's preprocessed input (N, 3, H, W); de-normalised to RGB
    'rgb',  # an RGB image in [0, 1] (N, 3, H, W), e.g. a reconstruction
    'label',  # class ids (N, H, W); the ignore index is drawn black
    'heat',  # a value in [0, 1] (N, H, W), drawn with a colour map
)


@dataclass
class DebugMap:
    """A named per-sample map of one domain, as the panels draw it.

    Attributes:
        domain (str): ``'source'`` or ``'target'``: the panel row group.
        name (str): Column title, e.g. ``'prediction'``,
            ``'output_adv: D_main P(target)'``.
        kind (str): One of :data:`DEBUG_MAP_KINDS`.
        data (Tensor): The batch of maps, shaped as the kind says; any
            resolution (drawn at the panel's cell size).
    """
    domain: str
    name: str
    kind: str
    data: Tensor

    def __post_init__(self) -> None:
        if self.domain not in ('source', 'target'):
            raise ValueError(f'DebugMap {self.name!r}: domain must be '
                             f"'source' or 'target', got {self.domain!r}")
        if self.kind not in DEBUG_MAP_KINDS:
            raise ValueError(f'DebugMap {self.name!r}: kind must be one of '
                             f'{DEBUG_MAP_KINDS}, got {self.kind!r}')
        ndim = 4 if self.kind in ('input', 'rgb') else 3
        if self.data.dim() != ndim:
            raise ValueError(
                f'DebugMap {self.name!r} of kind {self.kind!r} needs a '
                f'{ndim}-d tensor, got shape {tuple(self.data.shape)}')
