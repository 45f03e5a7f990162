import os.path as osp
import sys

# Shared helpers (tests/fake_datasets.py) import as top-level modules.
sys.path.insert(0, osp.dirname(__file__))
