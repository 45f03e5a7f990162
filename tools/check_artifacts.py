"""Check, before training, the external files a config needs.

Lists every artifact a config reads besides the code: ``load_from``, each
``init_cfg`` checkpoint (local paths, URLs and ``open-mmlab://`` aliases,
which are looked up in the torch hub cache where MMEngine would put them),
and each dataset folder (``data_root``, and sibling folders of translated
images such as LDR's ``../cityscapes_t2s_gta5``). For each it says whether
it is there and whether its content is the one recorded::

    # on a machine with verified copies: record the digests once
    python tools/check_artifacts.py configs/ldr/deeplabv2_gta2city.py \\
        --hash-data --write checksums/site.sha256
    # on the training machine (e.g. the GPU machine without internet)
    python tools/check_artifacts.py configs/ldr/deeplabv2_gta2city.py \\
        --checksums checksums/site.sha256 --hash-data

Released weights named with their sha256 prefix (``vgg19-dcbb9e9d.pth``,
``mit_b5_20220624-658746d9.pth``) are checked against it without a list.
Exit status 1 when something is missing or differs.
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Optional

from mmengine.config import Config
from prettytable import PrettyTable

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..')))

from mmseg_uda.datasets.file_io import atomic_write_bytes  # noqa: E402
from mmseg_uda.utils.checksums import (embedded_prefix,  # noqa: E402
                                       format_sha256_list, read_sha256_list,
                                       sha256_file, tree_sha256)

FAILED = ('missing', 'MISMATCH')


def _hub_path(url: str) -> str:
    import torch
    return osp.join(torch.hub.get_dir(), 'checkpoints', osp.basename(url))


def resolve_checkpoint(spec: str) -> Dict[str, str]:
    """Where a checkpoint string is read from on this machine."""
    if spec.startswith('open-mmlab://'):
        from mmengine.runner.checkpoint import get_external_models
        name = spec[len('open-mmlab://'):]
        urls = get_external_models()
        if name not in urls:
            return dict(kind='zoo alias', path=spec)
        return dict(kind=f'zoo alias -> {urls[name]}',
                    path=_hub_path(urls[name]))
    if spec.startswith(('http://', 'https://')):
        return dict(kind='URL (torch hub cache)', path=_hub_path(spec))
    return dict(kind='file', path=spec)


def collect_artifacts(cfg: Config) -> List[dict]:
    """``[{key, spec, kind, path, is_dir}]`` of a config, deduplicated."""
    found: Dict[str, dict] = {}

    def add(key: str, spec: str, is_dir: bool) -> None:
        item = (dict(kind='data folder', path=spec)
                if is_dir else resolve_checkpoint(spec))
        path = osp.normpath(item['path']) if '://' not in item['path'] \
            else item['path']
        if path not in found:
            found[path] = dict(key=key, spec=spec, kind=item['kind'],
                               path=path, is_dir=is_dir)

    def walk(node, key: str) -> None:
        if isinstance(node, dict):
            ckpt = node.get('checkpoint')
            if isinstance(ckpt, str) and node.get('type') != \
                    'AtomicCheckpointHook':
                add(f'{key}.checkpoint', ckpt, False)
            root = node.get('data_root')
            if isinstance(root, str) and root:
                add(f'{key}.data_root', root, True)
                prefix = node.get('data_prefix') or {}
                for sub in prefix.values():
                    if isinstance(sub, str) and sub.startswith('..'):
                        add(f'{key}.data_prefix', osp.join(root, sub), True)
            for k, v in node.items():
                walk(v, f'{key}.{k}' if key else str(k))
        elif isinstance(node, (list, tuple)):
            for i, v in enumerate(node):
                walk(v, f'{key}[{i}]')

    if cfg.get('load_from'):
        add('load_from', cfg.load_from, False)
    for part in ('model', 'train_dataloader', 'val_dataloader',
                 'test_dataloader'):
        if cfg.get(part) is not None:
            walk(cfg[part].to_dict() if hasattr(cfg[part], 'to_dict') else
                 cfg[part], part)
    return list(found.values())


def digest(item: dict, hash_data: bool) -> Optional[str]:
    if item['is_dir']:
        if not hash_data:
            return None
        from mmengine.utils import ProgressBar
        bar = ProgressBar(0)
        return tree_sha256(item['path'], progress=lambda p: bar.update())
    return sha256_file(item['path'])


def check(item: dict, recorded: Dict[str, str], hash_data: bool) -> str:
    """Status of one artifact (starts with 'missing' / 'MISMATCH' on
    failure)."""
    path = item['path']
    if not (osp.isdir(path) if item['is_dir'] else osp.isfile(path)):
        if path.startswith('work_dirs'):
            return 'missing (written by an earlier run of the recipe)'
        return 'missing'
    key = path + ('/' if item['is_dir'] else '')
    prefix = None if item['is_dir'] else embedded_prefix(path)
    if key not in recorded and prefix is None:
        if item['is_dir'] and not hash_data:
            return 'present (folder; --hash-data to hash it)'
        return 'present (no checksum recorded)'
    if item['is_dir'] and not hash_data:
        return 'present (recorded; --hash-data to check it)'
    value = digest(item, hash_data)
    if key in recorded and value != recorded[key]:
        return (f'MISMATCH: sha256 {value[:16]}..., recorded '
                f'{recorded[key][:16]}...')
    if prefix is not None and not value.startswith(prefix):
        return (f'MISMATCH: sha256 {value[:16]}... does not start with '
                f'the name\'s {prefix}')
    return 'ok (recorded sha256)' if key in recorded else \
        f'ok (name prefix {prefix})'


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description='Check the external files of configs before training')
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--checksums',
                        help='sha256sum-format list to check against')
    parser.add_argument('--write',
                        help='write the digests of the present artifacts '
                        'to this sha256sum-format file')
    parser.add_argument('--hash-data',
                        action='store_true',
                        help='also hash data folders (slow on full '
                        'datasets)')
    args = parser.parse_args(argv)
    recorded = read_sha256_list(args.checksums) if args.checksums else {}
    table = PrettyTable(['config', 'artifact', 'kind', 'local path',
                         'status'])
    table.align = 'l'
    failed = 0
    written: Dict[str, str] = {}
    for config in args.configs:
        cfg = Config.fromfile(config)
        for item in collect_artifacts(cfg):
            status = check(item, recorded, args.hash_data)
            failed += status.startswith(FAILED)
            table.add_row([
                osp.basename(config), item['key'], item['kind'],
                item['path'], status
            ])
            present = not status.startswith('missing')
            if args.write and present and (not item['is_dir']
                                           or args.hash_data):
                key = item['path'] + ('/' if item['is_dir'] else '')
                written[key] = digest(item, args.hash_data)
    print(table.get_string())
    if args.write:
        atomic_write_bytes(args.write,
                           format_sha256_list(written).encode('utf-8'))
        print(f'{len(written)} digests -> {args.write}')
    if failed:
        print(f'{failed} artifact(s) missing or different: fix them before '
              'training')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
