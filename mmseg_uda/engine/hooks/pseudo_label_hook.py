"""Self-training boundary: pseudo labels, labelled target data, restart."""
import copy
import itertools
import logging
import os.path as osp
from typing import Optional, Sequence

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner.loops import _InfiniteDataloaderIterator

from mmseg.registry import DATASETS, HOOKS
from ...apis.pseudo_labels import (DEFAULT_SUFFIX, PseudoLabelGenerator,
                                   inference_dataset_cfg)
from ..initial_weights import SCOPES, InitialWeights

_REINIT = (None, ) + SCOPES
INIT_SNAPSHOT = 'pseudo_label_init.pth'


@HOOKS.register_module()
class PseudoLabelHook(Hook):
    """Generate pseudo labels at a stage boundary and train on them.

    At the boundary iteration ``b`` (``at_iter``, or the first iteration of
    the ``UDAStageHook`` stage named ``stage``) the hook

    1. predicts pseudo labels of the target train set with the current G
       (:class:`~mmseg_uda.apis.PseudoLabelGenerator`, eval mode, the
       target train pipeline without augmentations) into ``out_dir``,
    2. rebuilds the target dataset of the ``UDADataset`` from the config's
       ``train_dataloader.dataset.target`` with ``data_prefix.seg_map_path
       = out_dir``, ``seg_map_suffix = suffix`` and the keys of
       ``target_dataset`` (a pipeline that loads the labels), checks that
       every image has its label, and restarts the dataloader (workers are
       re-created, the sampler continues at the same position), so that
       ``PseudoLabelCE`` sees ``gt_sem_seg`` from iteration ``b`` on,
    3. with ``reinit``, resets the networks to the weights they had when
       training started (BDL / SIM retrain "from init"), clears their
       optimizer states and restarts their parameter schedulers as if the
       run started at ``b`` (their ``begin`` / ``end`` then count from
       ``b``; ``'segmentor'``: G and the ``segmentor`` optimizer;
       ``'all'``: every network, buffer, optimizer and scheduler). In
       both cases every aligner's ``reset_state()`` is then called, so
       that state collected from the step-1 G (SIM's feature banks) is
       dropped even where the snapshot does not cover it, and an EMA
       teacher (``UDASegmentor(teacher=...)``) restarts from the new G.

    Steps 1-2 run after iteration ``b - 1`` (after its checkpoint, so
    ``iter_b.pth`` holds the step-1 model, and before the validation of
    iteration ``b``, which evaluates the step-1 model); step 3 runs right
    before iteration ``b``. Activating ``PseudoLabelCE`` is the stage
    config's job (``UDAStageHook``).

    Resume: the state depends only on the iteration. A run resumed at
    ``b`` (e.g. killed during generation; its last checkpoint is the
    step-1 model) generates again, and the generator keeps what the killed
    run finished when the model is the same (fingerprint in
    ``pseudo_labels.json``). A run resumed after ``b`` only reads the
    finished labels (an incomplete folder is an error) and never
    regenerates; weights, optimizer and scheduler states come from the
    checkpoint. The initial weights for ``reinit`` are saved to
    ``work_dir/pseudo_label_init.pth`` when the run starts at iteration 0
    (rank 0; every rank reads it, so multi-node runs need a shared
    work_dir), so a run resumed before ``b`` restarts from the same init.

    Args:
        at_iter (int, optional): Boundary iteration ``b`` (>= 0).
        stage (str, optional): Name of a ``UDAStageHook`` stage; ``b`` is
            its first iteration. Give exactly one of ``at_iter`` / ``stage``.
        target_dataset (dict, optional): Keys replacing those of the target
            dataset config for the labelled dataset, typically
            ``pipeline=[LoadImageFromFile, Resize, LoadAnnotations,
            PackSegInputs]``; its pipeline must contain ``LoadAnnotations``.
        out_dir (str, optional): Label folder; default
            ``<work_dir>/<out_subdir>``.
        out_subdir (str): The folder under the work_dir when ``out_dir``
            is not given; several hooks of one run (BDL's two rounds) each
            name their own. Default: ``'pseudo_labels'``.
        reinit (str, optional): None (continue from the step-1 weights),
            ``'segmentor'`` or ``'all'`` (see above). Default: None.
        label_scale, cap, num_bins, suffix, batch_size: Generator settings
            (:class:`~mmseg_uda.apis.PseudoLabelGenerator`).
    """

    priority = 'LOWEST'

    def __init__(self,
                 at_iter: Optional[int] = None,
                 stage: Optional[str] = None,
                 target_dataset: Optional[dict] = None,
                 out_dir: Optional[str] = None,
                 out_subdir: str = 'pseudo_labels',
                 reinit: Optional[str] = None,
                 label_scale: Optional[Sequence[int]] = None,
                 cap: float = 0.9,
                 num_bins: int = 10000,
                 suffix: str = DEFAULT_SUFFIX,
                 batch_size: int = 1) -> None:
        if (at_iter is None) == (stage is None):
            raise ValueError('PseudoLabelHook: give exactly one of at_iter '
                             f'and stage (got at_iter={at_iter!r}, '
                             f'stage={stage!r})')
        if at_iter is not None and (isinstance(at_iter, bool)
                                    or not isinstance(at_iter, int)
                                    or at_iter < 0):
            raise ValueError('PseudoLabelHook: at_iter must be an int >= 0, '
                             f'got {at_iter!r}')
        if reinit not in _REINIT:
            raise ValueError(f'PseudoLabelHook: reinit must be one of '
                             f'{_REINIT}, got {reinit!r}')
        self.at_iter = at_iter
        self.stage = stage
        self.target_dataset = dict(target_dataset or {})
        self.out_dir = out_dir
        self.out_subdir = out_subdir
        self.reinit = reinit
        self.generator_kwargs = dict(label_scale=label_scale,
                                     cap=cap,
                                     num_bins=num_bins,
                                     suffix=suffix,
                                     batch_size=batch_size)
        self.suffix = suffix
        self._pending_reinit = False
        # fail on a bad setting now rather than at the boundary
        PseudoLabelGenerator('.', **self.generator_kwargs)

    # ------------------------------------------------------------------
    # Resolution of the boundary, folders and datasets.
    def _resolve(self, runner) -> None:
        if self.stage is not None:
            stage_hooks = [
                h for h in runner.hooks if type(h).__name__ == 'UDAStageHook'
            ]
            if not stage_hooks:
                raise ValueError(
                    f'PseudoLabelHook: stage={self.stage!r} needs a '
                    'UDAStageHook in custom_hooks; or give at_iter')
            hook = stage_hooks[0]
            names = [s['name'] for s in hook.stages]
            if self.stage not in names:
                raise KeyError(f'PseudoLabelHook: no stage {self.stage!r} '
                               f'in the UDAStageHook (stages {names})')
            index = names.index(self.stage)
            self.at_iter = hook.ends[index] - hook.stages[index]['iters']
        if self.out_dir is None:
            self.out_dir = osp.join(runner.work_dir, self.out_subdir)
        self.generator = PseudoLabelGenerator(self.out_dir,
                                              **self.generator_kwargs)
        self.initial_weights = None if self.reinit is None else InitialWeights(
            osp.join(runner.work_dir, INIT_SNAPSHOT), self.reinit,
            'PseudoLabelHook')

    def _uda_dataset(self, runner):
        dataset = runner.train_loop.dataloader.dataset
        if not hasattr(dataset, 'target'):
            raise TypeError(
                'PseudoLabelHook: the train dataset '
                f'{type(dataset).__name__} has no target dataset; train with '
                'UDADataset(source=..., target=...)')
        return dataset

    def _target_cfg(self, runner) -> dict:
        try:
            cfg = runner.cfg.train_dataloader.dataset.target
        except AttributeError:
            cfg = None
        if not isinstance(cfg, dict):
            raise TypeError(
                'PseudoLabelHook: needs the target dataset config at '
                'train_dataloader.dataset.target (a UDADataset config)')
        return copy.deepcopy(cfg)

    def labelled_dataset_cfg(self, runner) -> dict:
        """Config of the target dataset that reads the pseudo labels."""
        cfg = self._target_cfg(runner)
        prefix = dict(cfg.get('data_prefix') or {})
        overrides = copy.deepcopy(self.target_dataset)
        prefix.update(overrides.pop('data_prefix', None) or {})
        prefix['seg_map_path'] = osp.abspath(self.out_dir)
        cfg.update(overrides)
        cfg['data_prefix'] = prefix
        cfg['seg_map_suffix'] = self.suffix
        steps = [s.get('type') for s in cfg.get('pipeline') or []
                 if isinstance(s, dict)]
        if 'LoadAnnotations' not in steps:
            raise ValueError(
                'PseudoLabelHook: the pseudo-labelled target pipeline '
                f'{steps} has no LoadAnnotations; give '
                'target_dataset=dict(pipeline=[...LoadAnnotations...])')
        return cfg

    # ------------------------------------------------------------------
    # Hook entry points.
    def before_train(self, runner) -> None:
        """Resolve; snapshot the init, or catch up with a resumed run."""
        self._resolve(runner)
        self.labelled_dataset_cfg(runner)  # validate early
        if self.reinit is not None and runner.iter <= self.at_iter:
            self.initial_weights.save_or_check(runner)
        if runner.iter == self.at_iter:
            # resumed from the boundary checkpoint (the step-1 model), or
            # a boundary at iteration 0
            self._generate_and_switch(runner, consumed=0)
            self._pending_reinit = self.reinit is not None
        elif runner.iter > self.at_iter:
            summary = self.generator.load_summary()
            if summary is None or summary.get('status') != 'complete':
                raise RuntimeError(
                    f'PseudoLabelHook: the run resumes at iteration '
                    f'{runner.iter}, after the pseudo-label boundary '
                    f'{self.at_iter}, but {self.generator.summary_path} is '
                    'missing or incomplete; the labels of the step-1 model '
                    'cannot be regenerated now. Restore the folder, or '
                    f'resume from iter_{self.at_iter}.pth')
            self._switch_dataset(runner, consumed=0)

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        """After iteration ``b - 1``: generate and switch the data."""
        if runner.iter + 1 == self.at_iter:
            self._generate_and_switch(runner, consumed=runner.iter + 1)
            self._pending_reinit = self.reinit is not None

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch=None) -> None:
        """Right before iteration ``b``: re-initialise (after validation)."""
        if self._pending_reinit and runner.iter == self.at_iter:
            self.initial_weights.restore(runner)
        self._pending_reinit = False

    # ------------------------------------------------------------------
    def _generate_and_switch(self, runner, consumed: int) -> None:
        runner.logger.info(
            f'PseudoLabelHook: generating pseudo labels at iteration '
            f'{self.at_iter} into {self.out_dir}')
        target = DATASETS.build(
            inference_dataset_cfg(self._target_cfg(runner)))
        self.generator.run(runner.model,
                           target,
                           model_info=dict(source='PseudoLabelHook',
                                           iteration=self.at_iter,
                                           work_dir=runner.work_dir))
        self._switch_dataset(runner, consumed)

    def _switch_dataset(self, runner, consumed: int) -> None:
        """Read the labels from now on; restart the dataloader."""
        uda = self._uda_dataset(runner)
        labelled = DATASETS.build(self.labelled_dataset_cfg(runner))
        if hasattr(labelled, 'full_init'):
            labelled.full_init()
        missing = [
            labelled.get_data_info(i).get('seg_map_path')
            for i in range(len(labelled))
            if not osp.isfile(labelled.get_data_info(i).get('seg_map_path'))
        ]
        if missing or len(labelled) != len(uda.target):
            raise FileNotFoundError(
                f'PseudoLabelHook: {len(missing)} of {len(labelled)} target '
                f'images have no pseudo label in {self.out_dir} (e.g. '
                f'{missing[:3]}), or the image count differs from the '
                f'training target set ({len(uda.target)})')
        uda.target = labelled
        self._restart_dataloader(runner, consumed)
        runner.message_hub.update_info('pseudo_labels', self.out_dir)
        runner.logger.info(
            f'PseudoLabelHook: the target dataset reads the pseudo labels '
            f'in {self.out_dir} ({len(labelled)} images)')

    @staticmethod
    def _restart_dataloader(runner, consumed: int) -> None:
        """New workers (with the new dataset) at sampler position
        ``consumed`` batches: the order an uninterrupted run would see."""
        loop = runner.train_loop
        loader = loop.dataloader
        old = getattr(loop.dataloader_iterator, '_iterator', None)
        if hasattr(old, '_shutdown_workers'):
            old._shutdown_workers()
        if getattr(loader, '_iterator', None) is not None:
            # persistent workers keep a copy of the old dataset
            loader._iterator = None
        batch_sampler = loader.batch_sampler
        sampler = getattr(batch_sampler, 'sampler', loader.sampler)
        batch_size = getattr(batch_sampler, 'batch_size', loader.batch_size)
        if hasattr(sampler, '_indices_of_rank'):
            # InfiniteSampler family: one shared generator of indices
            sampler.indices = itertools.islice(sampler._indices_of_rank(),
                                               consumed * batch_size, None)
        elif consumed:
            print_log(
                f'PseudoLabelHook: the sampler {type(sampler).__name__} '
                'cannot be positioned; the data order restarts',
                logger='current',
                level=logging.WARNING)
        loop.dataloader_iterator = _InfiniteDataloaderIterator(loader)
