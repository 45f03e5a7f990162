"""Sphinx configuration of the mmseg_uda docs (Sphinx + MyST, as MMSeg).

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``
(CI builds with warnings as errors: a broken link, a page outside the
toctree or a docstring that does not parse fails the build).
"""
import os
import sys

sys.path.insert(0, os.path.abspath('..'))

project = 'mmseg_uda'
copyright = '2026, the mmseg_uda authors'
author = 'the mmseg_uda authors'

extensions = [
    'myst_parser',
    'sphinx.ext.autodoc',
    'sphinx.ext.napoleon',
    'sphinx.ext.viewcode',
]
source_suffix = {'.md': 'markdown'}
root_doc = 'index'
exclude_patterns = ['_build']
myst_heading_anchors = 3
napoleon_google_docstring = True
napoleon_numpy_docstring = False
autodoc_member_order = 'bysource'
autodoc_typehints = 'none'
# Importing the package needs torch and OpenMMLab (installed with the
# package); nothing is mocked so that the API pages show the real code.
html_theme = 'alabaster'
html_static_path = []
