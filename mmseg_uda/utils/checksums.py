"""sha256 of the external files a recipe needs, in ``sha256sum`` format.

A file's digest is the sha256 of its bytes. A folder (a translated
dataset) gets a tree digest: the sha256 of the sorted lines
``<relative path>\\0<file sha256>\\n`` of every file below it, so renaming,
adding or changing any file changes it. Lists use ``sha256sum``'s line
format, ``<64 hex>  <path>``, a folder's path ending with ``/``.

Released weights often carry the first 8 hex digits of their sha256 in
the file name (torchvision ``vgg19-dcbb9e9d.pth``, OpenMMLab
``mit_b5_20220624-658746d9.pth``): :func:`embedded_prefix` reads it, so
those files are checked without a list.
"""
import hashlib
import os
import os.path as osp
import re
from typing import Callable, Dict, Optional

_CHUNK = 1 << 20
_PREFIX = re.compile(r'-([0-9a-f]{8,64})\.(pth|pt|pkl|ckpt)$')


def sha256_file(path: str) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(_CHUNK), b''):
            digest.update(chunk)
    return digest.hexdigest()


def tree_sha256(folder: str,
                progress: Optional[Callable[[str], None]] = None) -> str:
    """Tree digest of every file below ``folder`` (see module doc).

    Args:
        folder (str): The folder.
        progress (callable, optional): Called with each file's path.
    """
    files = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in names:
            files.append(osp.relpath(osp.join(root, name), folder))
    digest = hashlib.sha256()
    for rel in sorted(f.replace(os.sep, '/') for f in files):
        path = osp.join(folder, rel)
        digest.update(f'{rel}\0{sha256_file(path)}\n'.encode('utf-8'))
        if progress is not None:
            progress(path)
    return digest.hexdigest()


def embedded_prefix(path: str) -> Optional[str]:
    """The sha256 prefix in a released checkpoint's file name, if any."""
    match = _PREFIX.search(osp.basename(path))
    return match.group(1) if match else None


def read_sha256_list(path: str) -> Dict[str, str]:
    """``sha256sum``-format file -> {path: hex digest}.

    Blank lines and ``#`` comments are skipped; a malformed line raises an
    error naming the file and line.
    """
    entries = {}
    with open(path, encoding='utf-8') as f:
        for line_no, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            parts = line.split(None, 1)
            if len(parts) != 2 or not re.fullmatch(r'[0-9a-f]{64}',
                                                   parts[0]):
                raise ValueError(
                    f'{path}:{line_no}: expected "<64 hex digits>  <path>" '
                    f'(sha256sum format), got {line!r}')
            entries[parts[1].lstrip('*')] = parts[0]
    return entries


def format_sha256_list(entries: Dict[str, str]) -> str:
    """{path: digest} -> ``sha256sum``-format text, sorted by path."""
    return ''.join(f'{digest}  {path}\n'
                   for path, digest in sorted(entries.items()))
