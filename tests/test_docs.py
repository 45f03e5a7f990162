"""The docs site covers the code: every component the plugin registers is
documented in the API reference, and every docs page is in the toctree."""
import importlib
import os
import os.path as osp
import re

import mmseg.registry as registries
from mmengine.registry import Registry

import mmseg_uda  # noqa: F401  (registers the plugin)

DOCS = osp.join(osp.dirname(__file__), '..', 'docs')


def _api_modules():
    text = open(osp.join(DOCS, 'api.md'), encoding='utf-8').read()
    return re.findall(r'\.\. automodule:: (\S+)', text)


def _registered():
    """(registry name, class) of every plugin class in MMSeg's registries."""
    found = []
    for name in dir(registries):
        reg = getattr(registries, name)
        if not isinstance(reg, Registry):
            continue
        for key, obj in reg.module_dict.items():
            if getattr(obj, '__module__', '').startswith('mmseg_uda'):
                found.append((name, obj))
    return found


def test_every_registered_component_is_in_the_api_reference():
    documented = set()
    for module in _api_modules():
        documented.update(getattr(importlib.import_module(module), '__all__',
                                  []))
    registered = _registered()
    assert len(registered) > 40  # the plugin's components were found
    missing = sorted(f'{reg}: {cls.__module__}.{cls.__name__}'
                     for reg, cls in registered
                     if cls.__name__ not in documented)
    assert not missing, ('registered but absent from docs/api.md (export '
                         'them in a documented package\'s __all__): '
                         f'{missing}')


def test_every_page_is_in_a_toctree():
    index = open(osp.join(DOCS, 'index.md'), encoding='utf-8').read()
    listed = set(re.findall(r'^([a-z_/]+)$', index, flags=re.M))
    pages = set()
    for folder in ('', 'user_guides', 'methods'):
        for name in os.listdir(osp.join(DOCS, folder)):
            if name.endswith('.md') and name != 'index.md':
                pages.add(osp.join(folder, name[:-3]).lstrip('/'))
    assert pages - listed == set()
