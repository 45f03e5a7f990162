"""Import a script of tools/ as a module (tools/ is not a package)."""
import importlib.util
import os.path as osp
import sys

TOOLS = osp.join(osp.dirname(__file__), '..', 'tools')


def load_tool(relpath: str):
    """``tools/<relpath>`` as a module, registered in ``sys.modules`` so
    that functions sent to worker processes can be pickled."""
    name = 'tool_' + relpath.replace('/', '_')[:-len('.py')]
    spec = importlib.util.spec_from_file_location(name,
                                                  osp.join(TOOLS, relpath))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
