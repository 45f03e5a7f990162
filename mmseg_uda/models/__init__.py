from . import backbones, decode_heads, losses, segmentors  # noqa: F401
from . import discriminators, aligners  # noqa: F401
from . import generators, reconstruction  # noqa: F401
from . import translation  # noqa: F401
