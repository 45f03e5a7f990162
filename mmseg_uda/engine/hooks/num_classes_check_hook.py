"""Refuse to train or evaluate when model and data disagree on classes."""
from typing import Dict, List, Tuple

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch import nn

from mmseg.registry import HOOKS


def _unwrap(module):
    return module.module if is_model_wrapper(module) else module


def model_num_classes(model) -> Dict[str, int]:
    """Class counts the model was built with, keyed by where they are.

    The decode and auxiliary heads of the segmentor (G for a
    ``UDASegmentor``) and every aligner with a ``num_classes`` attribute.
    """
    model = _unwrap(model)
    found: Dict[str, int] = {}
    seg = _unwrap(getattr(model, 'segmentor', model))
    prefix = 'model.segmentor.' if seg is not model else 'model.'
    head = getattr(seg, 'decode_head', None)
    if head is not None and hasattr(head, 'num_classes'):
        found[prefix + 'decode_head'] = head.num_classes
    aux = getattr(seg, 'auxiliary_head', None)
    if isinstance(aux, nn.ModuleList):
        for i, h in enumerate(aux):
            found[f'{prefix}auxiliary_head[{i}]'] = h.num_classes
    elif aux is not None:
        found[prefix + 'auxiliary_head'] = aux.num_classes
    for name, aligner in getattr(model, 'aligners', {}).items():
        if hasattr(aligner, 'num_classes'):
            found[f'model.aligners.{name}'] = aligner.num_classes
    return found


def labelled_datasets(dataset, where: str) -> List[Tuple[str, object]]:
    """The datasets inside ``dataset`` whose samples carry label files.

    ``UDADataset`` contributes its source and (with pseudo labels) its
    target; an image-only target is not checked (its labels are unused).
    """
    parts = [(f'{where}.source', dataset.source),
             (f'{where}.target', dataset.target)] if hasattr(
                 dataset, 'source') and hasattr(dataset, 'target') else [
                     (where, dataset)]
    out = []
    for name, ds in parts:
        if hasattr(ds, 'full_init'):
            ds.full_init()
        if not len(ds) or not hasattr(ds, 'get_data_info'):
            continue
        if ds.get_data_info(0).get('seg_map_path'):
            out.append((name, ds))
    return out


@HOOKS.register_module()
class NumClassesCheckHook(Hook):
    """Check the model's class count against every labelled dataset.

    Before training (and before validation / testing), the number of
    classes of the model's heads and aligners must equal the number of
    classes in the ``metainfo`` of each dataset it learns from or is scored
    on. Otherwise a 16-way head would train on 19-class labels (CE with
    out-of-range targets) or be scored against the wrong class list; the
    error names the config keys, the dataset and its data root.
    """

    priority = 'VERY_HIGH'

    def _check(self, runner, loader, where: str) -> None:
        counts = model_num_classes(runner.model)
        if not counts or loader is None:
            return
        for name, ds in labelled_datasets(loader.dataset, where):
            classes = ds.metainfo.get('classes')
            if not classes:
                continue
            bad = {k: v for k, v in counts.items() if v != len(classes)}
            if bad:
                raise ValueError(
                    f'num_classes mismatch: {bad} in the model, but '
                    f'{name} ({type(ds).__name__}, data_root '
                    f'{getattr(ds, "data_root", None)!r}) has '
                    f'{len(classes)} classes {tuple(classes)[:5]}...; set '
                    'the same num_classes in the model and the dataset')

    def before_train(self, runner) -> None:
        self._check(runner, runner.train_dataloader, 'train_dataloader')

    def before_val(self, runner) -> None:
        self._check(runner, runner.val_dataloader, 'val_dataloader')

    def before_test(self, runner) -> None:
        self._check(runner, runner.test_dataloader, 'test_dataloader')
