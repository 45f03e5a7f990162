"""Input validation shared by the plugin's segmentation datasets.

SPEC section 6: bad input never silently trains on garbage. At construction
time (``load_data_list``) the folder layout is checked: missing data root or
folders, empty image folders and image/label files without a partner raise
an error naming the path. Per-sample problems (unreadable files, size or
label-range mismatch via :class:`CheckSegMap`) raise when the sample is
loaded, and :meth:`ValidatedSegDataset.prepare_data` makes sure such errors
name the files of the sample. Pairs a converter's pre-scan excluded
(``<data_root>/excluded_pairs.txt``, see ``pair_check``) are dropped.
"""
import os.path as osp
from typing import Collection, Dict, List, Optional

import mmengine
from mmengine.logging import print_log
from mmseg.datasets import BaseSegDataset

from .pair_check import EXCLUDE_FILE, read_excluded


def check_dir(path: str, what: str) -> None:
    """Raise ``FileNotFoundError`` naming ``path`` if it is not a folder.

    Args:
        path (str): Folder that must exist.
        what (str): What the folder should hold, for the message.
    """
    if not osp.isdir(path):
        raise FileNotFoundError(
            f'{what} folder not found: {path!r} (expected an existing '
            'directory)')


def list_files(folder: str, suffix: str) -> Dict[str, str]:
    """Files below ``folder`` (recursive) that end with ``suffix``.

    Args:
        folder (str): Folder to scan.
        suffix (str): Required file name ending, e.g. ``'_labelTrainIds.png'``.

    Returns:
        dict[str, str]: Path relative to ``folder`` without the suffix ->
        full path, sorted by key.
    """
    found = {}
    for rel in mmengine.scandir(folder, suffix=suffix, recursive=True):
        found[rel[:-len(suffix)]] = osp.join(folder, rel)
    return dict(sorted(found.items()))


def collect_samples(img_dir: str,
                    img_suffix: str,
                    seg_dir: Optional[str] = None,
                    seg_map_suffix: str = '.png',
                    ann_file: str = '',
                    dataset_name: str = 'dataset',
                    exclude: Collection[str] = ()) -> List[dict]:
    """Pair the images of ``img_dir`` with their label files.

    Args:
        img_dir (str): Image folder.
        img_suffix (str): Image file name ending.
        seg_dir (str, optional): Label folder; None for image-only data.
        seg_map_suffix (str): Label file name ending.
        ann_file (str): Optional split file, one sample name (relative path
            without suffix) per line; restricts the samples to those names.
        dataset_name (str): Used in error messages.
        exclude (Collection[str]): Sample names to leave out (pairs the
            converter excluded); they may lack a label file.

    Returns:
        list[dict]: ``img_path`` (and ``seg_map_path``) per sample, sorted.

    Raises:
        FileNotFoundError: Missing folder, empty image folder, a name of the
            split file without image, or an image without label (and vice
            versa).
    """
    check_dir(img_dir, f'{dataset_name} image')
    images = list_files(img_dir, img_suffix)
    if not images:
        raise FileNotFoundError(
            f'{dataset_name}: no image ending with {img_suffix!r} found in '
            f'{img_dir!r} (expected at least one)')
    labels = None
    if seg_dir is not None:
        check_dir(seg_dir, f'{dataset_name} label')
        labels = list_files(seg_dir, seg_map_suffix)
    if exclude:
        images = {n: p for n, p in images.items() if n not in exclude}
        if labels is not None:
            labels = {n: p for n, p in labels.items() if n not in exclude}
        if not images:
            raise FileNotFoundError(
                f'{dataset_name}: every image of {img_dir!r} is excluded by '
                'the converter (excluded_pairs.txt); nothing to train on')

    if ann_file:
        if not osp.isfile(ann_file):
            raise FileNotFoundError(
                f'{dataset_name}: split file not found: {ann_file!r}')
        names = [
            line.strip() for line in mmengine.list_from_file(ann_file)
            if line.strip()
        ]
        missing = [n for n in names if n not in images]
        if missing:
            raise FileNotFoundError(
                f'{dataset_name}: {len(missing)} of {len(names)} names of '
                f'split file {ann_file!r} have no image; first missing: '
                f'{osp.join(img_dir, missing[0] + img_suffix)!r}')
        # The label folder may hold more samples than the split uses.
        if labels is not None:
            labels = {n: labels[n] for n in names if n in labels}
        images = {n: images[n] for n in names}

    if labels is not None:
        no_label = [n for n in images if n not in labels]
        if no_label:
            raise FileNotFoundError(
                f'{dataset_name}: {len(images)} images in {img_dir!r} but '
                f'{len(labels)} label files ending with {seg_map_suffix!r} '
                f'in {seg_dir!r}; first image without label: expected '
                f'{osp.join(seg_dir, no_label[0] + seg_map_suffix)!r} for '
                f'{images[no_label[0]]!r}')
        no_image = [n for n in labels if n not in images]
        if no_image:
            raise FileNotFoundError(
                f'{dataset_name}: {len(images)} images in {img_dir!r} but '
                f'{len(labels)} label files in {seg_dir!r}; first label '
                f'without image: {labels[no_image[0]]!r} (expected '
                f'{osp.join(img_dir, no_image[0] + img_suffix)!r})')

    samples = []
    for name, img_path in sorted(images.items()):
        sample = dict(img_path=img_path)
        if labels is not None:
            sample['seg_map_path'] = labels[name]
        samples.append(sample)
    return samples


def _names_file(message: str, paths: List[str]) -> bool:
    return any(p and p in message for p in paths)


class ValidatedSegDataset(BaseSegDataset):
    """``BaseSegDataset`` that validates its files (base of the plugin's
    datasets, not registered).

    ``load_data_list`` uses :func:`collect_samples`; ``prepare_data``
    re-raises loading errors that do not name the sample's files with a
    message that does (e.g. PIL's ``image file is truncated``).
    """

    def load_data_list(self) -> List[dict]:
        """Collect and validate the samples of the data folders."""
        if self.data_root is not None and not osp.isdir(self.data_root):
            raise FileNotFoundError(
                f'{type(self).__name__}: data_root not found: '
                f'{self.data_root!r} (expected an existing directory)')
        img_dir = self.data_prefix.get('img_path', None)
        if not img_dir:
            raise ValueError(f'{type(self).__name__}: data_prefix needs an '
                             "'img_path' entry")
        seg_dir = self.data_prefix.get('seg_map_path', None) or None
        exclude = read_excluded(self.data_root)
        if exclude:
            print_log(
                f'{type(self).__name__}: leaving out the {len(exclude)} '
                'pairs the converter excluded (listed in '
                f'{osp.join(self.data_root, EXCLUDE_FILE)}, reasons in its '
                'conversion_report.json)',
                logger='current')
        samples = collect_samples(img_dir,
                                  self.img_suffix,
                                  seg_dir,
                                  self.seg_map_suffix,
                                  ann_file=self.ann_file,
                                  dataset_name=type(self).__name__,
                                  exclude=exclude)
        for sample in samples:
            sample['label_map'] = self.label_map
            sample['reduce_zero_label'] = self.reduce_zero_label
            sample['seg_fields'] = []
        return samples

    def prepare_data(self, idx: int):
        """Run the pipeline; loading errors name the sample's files."""
        try:
            return super().prepare_data(idx)
        except Exception as err:
            info = self.get_data_info(idx)
            paths = [info.get('img_path', ''), info.get('seg_map_path', '')]
            if _names_file(str(err), paths):
                raise
            message = (f'{type(self).__name__}: failed to load sample {idx} '
                       f'(image {paths[0]!r}, label {paths[1] or None!r}): '
                       f'{type(err).__name__}: {err}')
            try:
                new_err = type(err)(message)
            except Exception:
                new_err = RuntimeError(message)
            raise new_err from err
