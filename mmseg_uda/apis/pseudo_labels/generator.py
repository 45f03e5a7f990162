"""The two-pass pseudo-label generator (SPEC 5): predictions, histograms,
thresholds (:mod:`.thresholds`), files (:mod:`.label_files`), DDP.

Shared by ``tools/generate_pseudo_labels.py`` and ``PseudoLabelHook``.

Algorithm (BDL's, with the per-class median computed from histograms)::

    for every target train image x (eval mode, the training pipeline):
        P = softmax(G(x))                       (C, h, w) at G's output size
        P = resize(P, label size)                bilinear, head's align_corners
        y, p = argmax_c P, max_c P               (H, W)
    t_c = min(median{p | y == c over the whole set}, cap)   (0 if never
                                                              predicted)
    y[p < t_y] = 255                             written as a uint8 PNG

**Two passes, no temporaries.** The median needs every pixel of the set
before the first label can be written. Pass 1 predicts every image and adds
``(y, p)`` to a per-class histogram of ``num_bins`` equal bins over [0, 1]
(memory ``C * num_bins`` integers, independent of the number of images);
pass 2 predicts again and writes. Caching the predictions instead would
need ``3 * H * W`` bytes per image on disk (~18 GB for Cityscapes train at
2048x1024), while a second inference pass costs no disk and is
deterministic in eval mode. The threshold of class ``c`` is the left edge
``m_c / num_bins`` of the bin holding the ``n_c // 2``-th smallest
confidence (0-based; n_c predicted pixels), i.e. the median to within one
bin width, never above it.

**Rerun / resume.** ``pseudo_labels.json`` in the output folder is written
(atomically) after pass 1 with the thresholds and a fingerprint of the
model, the settings and the image list, and rewritten with the class pixel
counts when every PNG exists. A rerun that finds a JSON with the same
fingerprint, settings and images skips pass 1 and every PNG that is already
there (each PNG is written atomically, so an existing file is complete);
only missing PNGs are predicted again, with the stored thresholds. A JSON
of another model or other settings makes the run start over and overwrite.

**Distributed.** Rank ``r`` of ``w`` handles images ``r::w``; histograms and
pixel counts are summed over ranks with ``torch.distributed.all_reduce``
(NCCL or gloo), every rank writes the PNGs of its shard and rank 0 the JSON.
"""
import copy
import hashlib
import json
import logging
import os
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from mmengine.dataset import pseudo_collate
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.utils import ProgressBar
from torch import Tensor, nn

from ...datasets.file_io import atomic_write_json
from . import label_files
from .label_files import DEFAULT_SUFFIX, image_dir, label_path, read_label
from .thresholds import (apply_thresholds, confidence_histogram,
                         median_thresholds)

#: Name of the summary written next to the labels.
SUMMARY_FILE = 'pseudo_labels.json'
#: Version of the summary layout; part of the reuse check.
FORMAT_VERSION = 1


def _segmentor(model: nn.Module) -> nn.Module:
    """The MMSeg segmentor G inside a UDASegmentor and/or model wrapper."""
    model = model.module if is_model_wrapper(model) else model
    seg = getattr(model, 'segmentor', model)
    seg = seg.module if is_model_wrapper(seg) else seg
    for attr in ('extract_feat', 'decode_head', 'data_preprocessor'):
        if not hasattr(seg, attr):
            raise TypeError(
                f'pseudo labels: {type(seg).__name__} has no `{attr}`; '
                'expected an EncoderDecoder-like segmentor or a '
                'UDASegmentor')
    return seg


def model_fingerprint(model: nn.Module) -> str:
    """SHA-1 of G's state dict (names and bytes), equal on every rank."""
    digest = hashlib.sha1()
    for name, value in _segmentor(model).state_dict().items():
        digest.update(name.encode('utf-8'))
        if torch.is_tensor(value):
            flat = value.detach().cpu().contiguous().reshape(-1)
            digest.update(str(flat.dtype).encode('utf-8'))
            digest.update(flat.view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


@torch.no_grad()
def predict_confidence(
        seg: nn.Module, data: dict,
        label_sizes: Sequence[Tuple[int, int]]) -> List[Tuple[Tensor, Tensor]]:
    """Argmax and confidence of G's softmax at the label sizes.

    Args:
        seg (nn.Module): The segmentor G, in eval mode.
        data (dict): A collated batch (``inputs``, ``data_samples``).
        label_sizes (list[tuple[int, int]]): (H, W) of each sample's label.

    Returns:
        list[tuple[Tensor, Tensor]]: Per sample ``(labels, conf)``, (H, W)
        long and float32.
    """
    data = seg.data_preprocessor(data, False)
    inputs, samples = data['inputs'], data['data_samples']
    logits = seg.decode_head.forward(seg.extract_feat(inputs))
    align_corners = seg.decode_head.align_corners
    with torch.autocast(device_type=logits.device.type, enabled=False):
        probs = F.softmax(logits.float(), dim=1)
    results = []
    for i, size in enumerate(label_sizes):
        p = probs[i:i + 1]
        pad = samples[i].metainfo.get('padding_size')
        if pad is not None and any(pad):
            # test-time padding (data_preprocessor.test_cfg): resize to the
            # padded input, drop the padding, then resize to the label.
            p = F.interpolate(p,
                              size=inputs.shape[2:],
                              mode='bilinear',
                              align_corners=align_corners)
            left, right, top, bottom = pad
            p = p[..., top:p.shape[2] - bottom, left:p.shape[3] - right]
        p = F.interpolate(p,
                          size=tuple(size),
                          mode='bilinear',
                          align_corners=align_corners)[0]
        conf, labels = p.max(dim=0)
        results.append((labels, conf))
    return results


def _dist_info() -> Tuple[int, int]:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _all_reduce_sum(tensor: Tensor) -> Tensor:
    rank, world = _dist_info()
    if world == 1:
        return tensor
    if dist.get_backend() == 'nccl':
        device = torch.device('cuda', torch.cuda.current_device())
    else:
        device = torch.device('cpu')
    buf = tensor.to(device)
    dist.all_reduce(buf)
    return buf.to(tensor.device)


def _barrier() -> None:
    if _dist_info()[1] > 1:
        dist.barrier()


def _broadcast_int(value: int) -> int:
    """Rank 0's ``value`` on every rank."""
    rank, world = _dist_info()
    if world == 1:
        return value
    t = torch.tensor([value if rank == 0 else 0], dtype=torch.long)
    return int(_all_reduce_sum(t).item())


# ----------------------------------------------------------------------
class PseudoLabelGenerator:
    """Write thresholded pseudo labels of a target dataset (module doc).

    Args:
        out_dir (str): Output folder (created). Labels go to
            ``<out_dir>/<image path relative to the image folder, minus
            img_suffix><suffix>``; the summary to ``<out_dir>/
            pseudo_labels.json``.
        num_classes (int, optional): C; default G's ``num_classes``.
        label_scale (tuple[int, int], optional): (width, height) of the
            written labels, as MMSeg's ``Resize`` scale; None (default)
            writes each label at its image's original size (``ori_shape``).
        cap (float): Upper bound of a class threshold. Default: 0.9.
        num_bins (int): Histogram bins over [0, 1]; the threshold error is
            below ``1 / num_bins``. Default: 10000.
        suffix (str): File name ending of a label. Default:
            ``'_pseudoTrainIds.png'``.
        batch_size (int): Images per forward pass. Default: 1.
        ignore_index (int): Value of dropped pixels. Default: 255.
    """

    def __init__(self,
                 out_dir: str,
                 num_classes: Optional[int] = None,
                 label_scale: Optional[Sequence[int]] = None,
                 cap: float = 0.9,
                 num_bins: int = 10000,
                 suffix: str = DEFAULT_SUFFIX,
                 batch_size: int = 1,
                 ignore_index: int = 255) -> None:
        if osp.exists(out_dir) and not osp.isdir(out_dir):
            raise NotADirectoryError(
                f'pseudo labels: output {out_dir!r} exists and is not a '
                'folder')
        if label_scale is not None:
            label_scale = tuple(int(v) for v in label_scale)
            if len(label_scale) != 2 or min(label_scale) < 1:
                raise ValueError('pseudo labels: label_scale must be '
                                 f'(width, height), got {label_scale!r}')
        if not 0.0 <= cap <= 1.0:
            raise ValueError(f'pseudo labels: cap must be in [0, 1], got '
                             f'{cap!r}')
        if num_bins < 2:
            raise ValueError(f'pseudo labels: num_bins must be >= 2, got '
                             f'{num_bins!r}')
        if not suffix.endswith('.png'):
            raise ValueError(f'pseudo labels: suffix must end with .png, got '
                             f'{suffix!r}')
        if batch_size < 1:
            raise ValueError(f'pseudo labels: batch_size must be >= 1, got '
                             f'{batch_size!r}')
        self.out_dir = out_dir
        self.num_classes = num_classes
        self.label_scale = label_scale
        self.cap = float(cap)
        self.num_bins = int(num_bins)
        self.suffix = suffix
        self.batch_size = int(batch_size)
        self.ignore_index = int(ignore_index)

    @property
    def summary_path(self) -> str:
        return osp.join(self.out_dir, SUMMARY_FILE)

    # ------------------------------------------------------------------
    def _settings(self, num_classes: int) -> Dict[str, Any]:
        return dict(
            format=FORMAT_VERSION,
            num_classes=num_classes,
            num_bins=self.num_bins,
            cap=self.cap,
            label_scale=list(self.label_scale) if self.label_scale else None,
            suffix=self.suffix,
            ignore_index=self.ignore_index)

    def load_summary(self) -> Optional[dict]:
        """The summary JSON in ``out_dir``, or None if there is none."""
        if not osp.isfile(self.summary_path):
            return None
        try:
            with open(self.summary_path, encoding='utf-8') as f:
                return json.load(f)
        except (OSError, ValueError) as err:
            raise ValueError(
                f'pseudo labels: cannot read {self.summary_path!r} ({err}); '
                'delete it to regenerate the labels') from err

    def _label_size(self, info: dict, sample) -> Tuple[int, int]:
        if self.label_scale is not None:
            return self.label_scale[1], self.label_scale[0]
        shape = sample.metainfo.get('ori_shape')
        if shape is None:
            raise KeyError(f'pseudo labels: sample {info["img_path"]!r} has '
                           'no ori_shape; set label_scale')
        return tuple(shape[:2])

    def _batches(self, dataset, indices: List[int]):
        for start in range(0, len(indices), self.batch_size):
            chunk = indices[start:start + self.batch_size]
            samples = []
            for i in chunk:
                try:
                    samples.append(dataset[i])
                except Exception as err:
                    path = dataset.get_data_info(i).get('img_path')
                    raise RuntimeError(
                        f'pseudo labels: cannot load target image {path!r}: '
                        f'{err}') from err
            yield chunk, pseudo_collate(samples)

    def _predict(self, seg, dataset, indices, progress, on_result) -> None:
        for chunk, batch in self._batches(dataset, indices):
            infos = [dataset.get_data_info(i) for i in chunk]
            sizes = [
                self._label_size(info, s)
                for info, s in zip(infos, batch['data_samples'])
            ]
            for info, (labels,
                       conf) in zip(infos,
                                    predict_confidence(seg, batch, sizes)):
                on_result(info, labels, conf)
            if progress is not None:
                for _ in chunk:
                    progress.update()

    # ------------------------------------------------------------------
    def run(self,
            model: nn.Module,
            dataset,
            model_info: Optional[dict] = None) -> dict:
        """Generate (or complete) the labels of ``dataset``.

        Args:
            model (nn.Module): UDASegmentor or MMSeg segmentor; put in eval
                mode for the run and restored afterwards.
            dataset: Target train dataset (a ``BaseSegDataset``) whose
                pipeline loads and resizes the images as in training.
            model_info (dict, optional): Extra fields stored under
                ``model`` in the summary (checkpoint path, iteration, ...).

        Returns:
            dict: The summary written to ``pseudo_labels.json``.
        """
        seg = _segmentor(model)
        num_classes = int(self.num_classes or seg.decode_head.num_classes)
        if not 1 <= num_classes < min(self.ignore_index, 256):
            raise ValueError(f'pseudo labels: {num_classes} classes do not '
                             'fit a uint8 label with ignore index '
                             f'{self.ignore_index}')
        if hasattr(dataset, 'full_init'):
            dataset.full_init()
        if len(dataset) == 0:
            raise ValueError('pseudo labels: the target dataset '
                             f'{type(dataset).__name__} is empty')
        img_dir, img_suffix = image_dir(dataset)
        img_paths = [
            dataset.get_data_info(i)['img_path'] for i in range(len(dataset))
        ]
        out_paths = [
            label_path(p, img_dir, img_suffix, self.out_dir, self.suffix)
            for p in img_paths
        ]
        images_digest = hashlib.sha1('\n'.join(
            osp.relpath(p, img_dir) for p in img_paths).encode()).hexdigest()
        fingerprint = model_fingerprint(model)
        settings = self._settings(num_classes)
        rank, world = _dist_info()
        shard = list(range(rank, len(dataset), world))
        device = next(seg.parameters()).device

        previous = self.load_summary() if rank == 0 else None
        reuse = _broadcast_int(
            int(previous is not None and previous.get('settings') == settings
                and previous.get('images_digest') == images_digest
                and previous.get('model', {}).get('fingerprint') == fingerprint
                and previous.get('status') in ('thresholds', 'complete')))
        if rank == 0 and previous is not None and not reuse:
            print_log(
                f'pseudo labels: {self.summary_path} belongs to another '
                'model, settings or image list; regenerating every label',
                logger='current',
                level=logging.WARNING)

        was_training = seg.training
        seg.eval()
        try:
            if reuse:
                # every rank reads the same (atomically written) file
                summary = self.load_summary()
                thresholds = torch.tensor(summary['thresholds'],
                                          dtype=torch.float64)
                predicted = summary['predicted_pixels']
            else:
                thresholds, predicted = self._pass_thresholds(
                    seg, dataset, shard, num_classes, device)
                summary = dict(status='thresholds',
                               settings=settings,
                               num_images=len(dataset),
                               images_digest=images_digest,
                               model=dict(fingerprint=fingerprint,
                                          **(model_info or {})),
                               thresholds=thresholds.tolist(),
                               predicted_pixels=predicted)
                if rank == 0:
                    atomic_write_json(self.summary_path, summary)
                _barrier()
            labelled = self._pass_write(seg,
                                        dataset,
                                        shard,
                                        out_paths,
                                        thresholds,
                                        num_classes,
                                        device,
                                        skip_existing=bool(reuse))
        finally:
            seg.train(was_training)

        summary.update(status='complete',
                       labelled_pixels=labelled[:num_classes],
                       ignored_pixels=labelled[num_classes],
                       num_images=len(dataset))
        if rank == 0:
            atomic_write_json(self.summary_path, summary)
        _barrier()
        return summary

    def _pass_thresholds(self, seg, dataset, shard, num_classes,
                         device) -> Tuple[Tensor, List[int]]:
        """Pass 1: histograms over the shard, summed over ranks."""
        hist = torch.zeros(num_classes,
                           self.num_bins,
                           dtype=torch.long,
                           device=device)

        def add(info, labels, conf):
            if int(labels.max()) >= num_classes:
                raise ValueError(
                    f'pseudo labels: G predicts class {int(labels.max())} '
                    f'for {info["img_path"]!r} but num_classes is '
                    f'{num_classes}')
            hist.add_(
                confidence_histogram(labels, conf, num_classes, self.num_bins))

        self._log(f'pass 1/2: confidence histograms of {len(dataset)} '
                  'target images')
        self._predict(seg, dataset, shard, self._progress(len(shard)), add)
        hist = _all_reduce_sum(hist)
        thresholds = median_thresholds(hist, self.cap)
        predicted = hist.sum(dim=1).cpu().tolist()
        self._log('class thresholds: ' +
                  ', '.join(f'{c}:{t:.3f}'
                            for c, t in enumerate(thresholds.tolist())))
        return thresholds, predicted

    def _pass_write(self, seg, dataset, shard, out_paths, thresholds,
                    num_classes, device, skip_existing: bool) -> List[int]:
        """Pass 2: threshold and write; count labelled pixels per class.

        Returns:
            list[int]: Pixel count per class, then the ignored pixels.
        """
        counts = torch.zeros(256, dtype=torch.long)
        todo = []
        for i in shard:
            label = read_label(out_paths[i]) if skip_existing else None
            if label is None:
                todo.append(i)
            else:
                counts += torch.from_numpy(
                    np.bincount(label.ravel(), minlength=256)).long()
        index_of_img = {dataset.get_data_info(i)['img_path']: i for i in shard}

        def write(info, labels, conf):
            label = apply_thresholds(labels, conf, thresholds,
                                     self.ignore_index)
            label = label.to(torch.uint8).cpu().numpy()
            path = out_paths[index_of_img[info['img_path']]]
            label_files.write_label(path, label)
            counts.add_(
                torch.from_numpy(np.bincount(label.ravel(),
                                             minlength=256)).long())

        self._log(f'pass 2/2: writing {len(todo)} pseudo labels to '
                  f'{self.out_dir} ({len(shard) - len(todo)} of this '
                  'rank already there)')
        os.makedirs(self.out_dir, exist_ok=True)
        self._predict(seg, dataset, todo, self._progress(len(todo)), write)
        counts = _all_reduce_sum(counts)
        out = counts[:num_classes].tolist()
        out.append(int(counts[self.ignore_index]))
        return out

    @staticmethod
    def _progress(n: int) -> Optional[ProgressBar]:
        return ProgressBar(n) if _dist_info()[0] == 0 and n > 0 else None

    @staticmethod
    def _log(msg: str) -> None:
        print_log(f'pseudo labels: {msg}', logger='current')


def generate_pseudo_labels(model: nn.Module,
                           dataset,
                           out_dir: str,
                           model_info: Optional[dict] = None,
                           **kwargs) -> dict:
    """Functional form: ``PseudoLabelGenerator(out_dir, **kwargs).run``."""
    return PseudoLabelGenerator(out_dir, **kwargs).run(model, dataset,
                                                       model_info)


#: Pipeline steps left out when predicting: labels (there are none yet) and
#: random augmentations (labels are predicted on the plain training view).
INFERENCE_DROPPED_TRANSFORMS = frozenset({
    'LoadAnnotations', 'CheckSegMap', 'RelabelSegMap', 'RandomFlip',
    'RandomCrop', 'PhotoMetricDistortion', 'RandomRotate', 'RandomCutOut',
    'RandomMosaic', 'RandomRotFlip'
})


def inference_dataset_cfg(cfg: dict) -> dict:
    """The target train dataset config as used for pseudo-label inference.

    A copy without ``data_prefix.seg_map_path`` and without the pipeline
    steps of :data:`INFERENCE_DROPPED_TRANSFORMS`, so that the images are
    loaded and resized exactly as in training, and no label is read.
    """
    if not isinstance(cfg, dict) or 'type' not in cfg:
        raise TypeError('pseudo labels: the target dataset must be a config '
                        f'dict with a type, got {cfg!r}')
    out = copy.deepcopy(dict(cfg))
    prefix = dict(out.get('data_prefix') or {})
    prefix.pop('seg_map_path', None)
    out['data_prefix'] = prefix
    pipeline = out.get('pipeline') or []
    out['pipeline'] = [
        step for step in pipeline
        if not (isinstance(step, dict)
                and step.get('type') in INFERENCE_DROPPED_TRANSFORMS)
    ]
    return out
