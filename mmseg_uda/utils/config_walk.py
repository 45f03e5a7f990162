"""Visit every dict nested in a config (dicts inside dicts, lists and
tuples): how the tools and the tests rewrite each pipeline step, dataset
or head of a config, wherever the config nests it."""
from typing import Any, Callable


def for_each_dict(obj: Any, fn: Callable[[dict], None]) -> None:
    """Call ``fn`` on every dict in ``obj``, parents before children.

    ``fn`` may change the dict it gets (its values are visited after it
    returns, so a replaced value is the one walked into).
    """
    if isinstance(obj, dict):
        fn(obj)
        for value in obj.values():
            for_each_dict(value, fn)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            for_each_dict(value, fn)
