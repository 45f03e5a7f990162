"""The package's layers import only downwards (docs/architecture.md).

utils <- structures <- datasets <- models <- evaluation <- visualization
<- apis <- engine <- benchmark; tools/ sit on top of all of them. A module
may import its own layer and the layers below it, never one above.
"""
import ast
import os
import os.path as osp

PACKAGE = osp.join(osp.dirname(__file__), '..', 'mmseg_uda')
LAYERS = ('utils', 'structures', 'datasets', 'models', 'evaluation',
          'visualization', 'apis', 'engine', 'benchmark')


def _imports(path: str, module: str):
    """Absolute names a module imports (relative imports resolved)."""
    package = module if path.endswith('__init__.py') else module.rsplit(
        '.', 1)[0]
    for node in ast.walk(ast.parse(open(path, encoding='utf-8').read())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split('.')[:len(package.split('.')) -
                                          node.level + 1]
                yield '.'.join(base + ([node.module] if node.module else []))
            elif node.module:
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _layer(name: str):
    parts = name.split('.')
    if parts[0] == 'mmseg_uda' and len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return None


def test_every_subpackage_has_a_layer():
    subpackages = {
        d for d in os.listdir(PACKAGE)
        if osp.isfile(osp.join(PACKAGE, d, '__init__.py'))
    }
    assert subpackages == set(LAYERS)


def test_imports_go_downwards_only():
    wrong = []
    for root, _, files in os.walk(PACKAGE):
        for name in files:
            if not name.endswith('.py'):
                continue
            path = osp.join(root, name)
            rel = osp.relpath(path, osp.join(PACKAGE, '..'))[:-3]
            module = rel.replace(os.sep, '.')
            if module.endswith('.__init__'):
                module = module[:-len('.__init__')]
            src = _layer(module)
            for target in _imports(path, module):
                dst = _layer(target)
                if src and dst and LAYERS.index(dst) > LAYERS.index(src):
                    wrong.append(f'{rel}.py imports {target}')
    assert not wrong, wrong


def test_the_docs_diagram_lists_these_layers_in_order():
    """docs/architecture.md draws the layers top-down; it must be this
    order, so the picture a reader sees is the one the imports obey."""
    text = open(osp.join(PACKAGE, '..', 'docs', 'architecture.md'),
                encoding='utf-8').read()
    section = text.split('## Package layers', 1)[1]
    block = section.split('```', 2)[1]
    drawn = [
        line.split()[0] for line in block.splitlines()
        if line.startswith('  ') and line.split()
    ]
    assert drawn == list(reversed(LAYERS))
