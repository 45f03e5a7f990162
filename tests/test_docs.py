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


#: A measured result: a decimal with a time / memory unit, an IoU-like
#: number (10.0-99.99) on a line that names mIoU, or a spread.
_MEASURED = re.compile(r'\d+\.\d+ ?(ms|s|GB|MB|GiB|MiB|it/s)\b|'
                       r'\b[1-9]\d\.\d\d?\b.*mIoU|mIoU.*\b[1-9]\d\.\d\d?\b|'
                       r'\+- \d')
_COMMAND = re.compile(r'python (tools/|-m )|tools/\w+(/\w+)*\.py|bash ')
_MACHINE = re.compile(r'2-core|CPU|H100|H200|GPU|machine|cores?\b')


def _sections(text):
    """(first line, lines) per heading, headings inside code blocks not
    counted."""
    sections, fence = [[]], False
    for line in text.split('\n'):
        if line.startswith('```'):
            fence = not fence
        if line.startswith('#') and not fence:
            sections.append([])
        sections[-1].append(line)
    return sections


def test_every_measured_number_names_its_command_and_machine():
    """Numbers a reader could take for our measurements sit in a section
    that gives the command that made them and the machine it ran on.
    Numbers a paper reports say so ("paper", "reports") and are exempt."""
    bad = []
    for root, _, files in os.walk(DOCS):
        if '_build' in root:
            continue
        for name in files:
            if not name.endswith('.md') or name == 'reproduction_table.md':
                continue
            path = osp.join(root, name)
            for lines in _sections(open(path, encoding='utf-8').read()):
                measured = [
                    line for line in lines if _MEASURED.search(line)
                    and not re.search(r'paper|reports', line)
                ]
                text = '\n'.join(lines)
                if measured and not (_COMMAND.search(text)
                                     and _MACHINE.search(text)):
                    bad.append(f'{osp.relpath(path, DOCS)}: {lines[0]!r}: '
                               f'{measured[0][:70]!r}')
    assert not bad, '\n'.join(bad)
