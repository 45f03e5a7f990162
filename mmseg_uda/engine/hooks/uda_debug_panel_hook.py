"""Picture grids of what a UDA method does, written during training."""
from typing import List, Optional

import numpy as np
from mmengine.dataset import pseudo_collate
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmseg.registry import HOOKS
from mmseg_uda.utils.rng_state import preserved_rng_states
from mmseg_uda.visualization.debug_panel import draw_debug_panel


@HOOKS.register_module()
class UDADebugPanelHook(Hook):
    """Every ``interval`` iterations, draw a panel of fixed samples.

    For ``num_samples`` source and target images, fixed at the start of
    training (evenly spaced dataset indices, one pass of the train
    pipeline), one grid: image | label (source ground truth; target labels
    when the data has them, e.g. offline pseudo labels) | G's prediction,
    then what the model's active terms show (``UDASegmentor.debug_maps``):
    discriminator confidence maps, the teacher's pseudo label with the
    ignored pixels, the ClassMix / masked images, LDR's reconstruction.
    Written through the runner's visualizer as ``uda_debug_panel`` (files
    under ``vis_data/vis_image/`` and TensorBoard), on the main process.

    The panel draws with random numbers (ClassMix classes, MIC masks) and
    fetches samples through random augmentations; the global random
    states are restored afterwards, so a run with panels trains exactly as
    one without them. Models without ``debug_maps`` or datasets without a
    ``source`` / ``target`` pair are skipped with a warning.

    Args:
        interval (int): Iterations between panels; the last iteration
            always gets one. Default: 5000.
        num_samples (int): Images per domain. Default: 2.
        cell_width (int): Width in pixels of one cell. Default: 256.
    """
    priority = 'LOW'

    def __init__(self,
                 interval: int = 5000,
                 num_samples: int = 2,
                 cell_width: int = 256) -> None:
        if interval < 1 or num_samples < 1 or cell_width < 16:
            raise ValueError(
                'UDADebugPanelHook: interval and num_samples must be >= 1 '
                f'and cell_width >= 16, got {interval}, {num_samples}, '
                f'{cell_width}')
        self.interval = interval
        self.num_samples = num_samples
        self.cell_width = cell_width
        self._batch: Optional[dict] = None
        #: Column titles of the last panel, per domain.
        self.layout: Optional[dict] = None

    @staticmethod
    def _model(runner):
        model = runner.model
        return model.module if is_model_wrapper(model) else model

    def _indices(self, n: int) -> List[int]:
        k = min(self.num_samples, n)
        return [int(i) for i in np.linspace(0, n - 1, k).round()]

    def before_train(self, runner) -> None:
        if not is_main_process():
            return
        dataset = runner.train_dataloader.dataset
        if not hasattr(self._model(runner), 'debug_maps') or not (
                hasattr(dataset, 'source') and hasattr(dataset, 'target')):
            runner.logger.warning(
                'UDADebugPanelHook: the model has no debug_maps or the '
                'train dataset is not a UDADataset; no panels are drawn')
            return
        with preserved_rng_states():
            samples = [
                dict(source=dataset.source[i], target=dataset.target[j])
                for i, j in zip(self._indices(len(dataset.source)),
                                self._indices(len(dataset.target)))
            ]
        self._batch = pseudo_collate(samples)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if self._batch is None or not (self.every_n_train_iters(
                runner, self.interval) or self.is_last_train_iter(runner)):
            return
        panel = self.draw(runner)
        runner.visualizer.add_image('uda_debug_panel', panel,
                                    step=runner.iter + 1)

    def draw(self, runner, step: Optional[int] = None) -> np.ndarray:
        """The panel of the current model, (H, W, 3) RGB uint8, titled
        with ``step`` (default: the iteration just trained)."""
        model = self._model(runner)
        with preserved_rng_states():
            maps = model.debug_maps(self._batch)
        pre = model.data_preprocessor
        meta = runner.train_dataloader.dataset.metainfo
        ignore = getattr(model.decode_head, 'ignore_index', 255)
        panel, self.layout = draw_debug_panel(
            maps,
            mean=pre.mean.flatten(),
            std=pre.std.flatten(),
            input_is_rgb=bool(pre.channel_conversion),
            classes=meta['classes'],
            palette=meta['palette'],
            ignore_index=ignore,
            cell_width=self.cell_width,
            step=runner.iter + 1 if step is None else step)
        return panel
