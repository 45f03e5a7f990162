from . import backbones, decode_heads, losses, segmentors  # noqa: F401
