"""Training and inference speed of a config, measured three ways (issue 7).

``tools/benchmark.py`` calls :func:`benchmark_config` for each config. The
modes, all on the same networks, device and input size:

* ``method``: the config's training loop as users run it (MMEngine
  ``Runner.train``: data loading, hooks, logging), the time of every
  iteration taken at ``after_train_iter`` (device synchronised), so it
  includes data loading between iterations;
* ``source_only``: the same, for the config's segmentation network trained
  on the source dataset alone (:func:`source_only_cfg`), the baseline the
  issue's ratios are stated against;
* ``bare``: the lower bound: ``model.train_step`` (every forward, backward
  and optimizer step of the method, nothing else) in a plain Python loop
  on one batch already collated, no Runner, no data loading, no hooks;
* ``inference``: ``model.test_step`` on validation batches in eval mode,
  reported as images per second;
* ``pseudo_labels``: the pseudo-label generator (both passes, PNGs and
  summary written to a temporary folder) on the first ``iters`` images of
  the target train set, after a warm-up run on ``warmup`` images, as
  images per second.

Every mode reports the median (and the list) of the timed iterations after
``warmup`` untimed ones, and, on CUDA, the peak allocated memory.

With ``rounds > 1`` every mode is run that many times, in alternating order
(forward, then reversed, ...), and its timed iterations are pooled: on a
shared machine whose speed drifts over minutes (the project's 2-core CPU
machine: the same mode measured 0.83-1.31 s/iter over six rounds) a single
run per mode compares two moments, not two modes.
"""
import copy
import os.path as osp
import statistics
import tempfile
import time
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.config import Config, ConfigDict
from mmengine.model import is_model_wrapper
from mmengine.registry import init_default_scope

from ..apis.model_builder import build_model_from_cfg
from ..engine.hooks import IterTimeRecorderHook, to_channels_last
from ..utils.config_walk import for_each_dict

MODES = ('method', 'source_only', 'bare', 'inference', 'pseudo_labels')
#: Hooks that do offline work at stage boundaries: timed on their own, not
#: inside the training iterations.
_OFFLINE_HOOKS = ('PseudoLabelHook', )


def _sync(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def set_input_size(cfg: Config, scale: Sequence[int]) -> None:
    """Set every ``Resize`` scale of every pipeline to ``(W, H)``."""
    scale = tuple(int(s) for s in scale)

    def fix(node):
        if node.get('type') == 'Resize' and 'scale' in node:
            node['scale'] = scale

    for_each_dict(cfg._cfg_dict, fix)


def fix_stage(cfg: Config, stage: str) -> None:
    """Freeze the config's ``UDAStageHook`` in stage ``stage``.

    The stages up to and including ``stage`` are merged (later ones win,
    as the hook applies them in order) into one stage that lasts for the
    whole benchmark, so e.g. the local stage of global-local alignment
    can be timed without training through the global one.

    Raises:
        ValueError: If the config has no such stage.
    """
    hooks = cfg.get('custom_hooks', []) or []
    for hook in hooks:
        if hook.get('type') != 'UDAStageHook':
            continue
        names = [s['name'] for s in hook['stages']]
        if stage not in names:
            raise ValueError(f'--stage {stage!r}: the config\'s stages are '
                             f'{names}')
        merged: Dict[str, dict] = {}
        for s in hook['stages'][:names.index(stage) + 1]:
            for name, params in (s.get('aligners') or {}).items():
                merged.setdefault(name, {}).update(params)
        hook['stages'] = [dict(name=stage, iters=10**9, aligners=merged)]
        return
    raise ValueError(f'--stage {stage!r}: the config has no UDAStageHook')


def has_stage(config: str, stage: str) -> bool:
    """Whether the config's ``UDAStageHook`` has a stage named ``stage``."""
    cfg = Config.fromfile(config)
    return any(
        stage in [s['name'] for s in h['stages']]
        for h in (cfg.get('custom_hooks') or [])
        if h.get('type') == 'UDAStageHook')


def drop_pretrained_init(cfg: Config) -> None:
    """Remove ``Pretrained`` init_cfgs (random weights time the same)."""

    def fix(node):
        init_cfg = node.get('init_cfg')
        if isinstance(init_cfg, dict) and init_cfg.get('type') == \
                'Pretrained':
            node['init_cfg'] = None

    for_each_dict(cfg._cfg_dict, fix)


def source_only_cfg(cfg: Config) -> Config:
    """The config's network G trained on its source dataset alone.

    A UDA config (``UDASegmentor``) becomes a plain MMSeg config: the model
    is ``model.segmentor`` with the top-level ``data_preprocessor`` in place
    of its own (as ``UDASegmentor`` builds G), the
    training set is the ``UDADataset``'s ``source``, the optimizer and
    schedulers are G's (key ``'segmentor'``), stage and offline hooks are
    dropped. Other configs are returned unchanged (copied).
    """
    cfg = copy.deepcopy(cfg)
    if cfg.model.get('type') != 'UDASegmentor':
        return cfg
    model = copy.deepcopy(cfg.model.segmentor)
    if cfg.get('data_preprocessor') is not None:
        # what UDASegmentor does with the top-level one: it replaces G's
        model.data_preprocessor = copy.deepcopy(cfg.data_preprocessor)
    cfg.model = model
    cfg.pop('model_wrapper_cfg', None)
    loader = cfg.train_dataloader
    dataset = loader.dataset
    if dataset.get('type') == 'UDADataset':
        loader.dataset = dataset.source
    if loader.get('sampler', {}).get('type') == 'UDAInfiniteSampler':
        loader.sampler = dict(loader.sampler, type='InfiniteSampler')
    optim = cfg.optim_wrapper
    if 'segmentor' in optim:
        cfg.optim_wrapper = optim['segmentor']
    sched = cfg.get('param_scheduler')
    if isinstance(sched, dict) and 'segmentor' in sched:
        cfg.param_scheduler = sched['segmentor']
    cfg.custom_hooks = [
        h for h in (cfg.get('custom_hooks') or [])
        if h.get('type') not in ('UDAStageHook', ) + _OFFLINE_HOOKS
    ]
    return cfg


def _runner_cfg(cfg: Config, iters: int, work_dir: str) -> Config:
    """A copy that trains ``iters`` iterations and does nothing else."""
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = work_dir
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=iters,
                         val_interval=10**9)
    for key in ('val_dataloader', 'val_cfg', 'val_evaluator',
                'test_dataloader', 'test_cfg', 'test_evaluator'):
        cfg[key] = None
    cfg.load_from = None
    cfg.resume = False
    hooks = cfg.get('default_hooks') or ConfigDict()
    hooks.checkpoint = None
    # only None for MMEngine's own default hooks; this one is MMSeg's
    hooks.pop('visualization', None)
    if hooks.get('logger') is not None:
        hooks.logger.interval = 10**9
    cfg.default_hooks = hooks
    cfg.custom_hooks = [
        h for h in (cfg.get('custom_hooks') or [])
        if h.get('type') not in _OFFLINE_HOOKS
    ] + [dict(type='IterTimeRecorderHook')]
    cfg.visualizer = dict(type='SegLocalVisualizer', vis_backends=[])
    cfg.log_level = 'WARNING'
    return cfg


def _enable_cudnn_benchmark(cfg: Config, device: torch.device) -> None:
    # Only cuDNN's autotuner is set here: the Runner puts the model on the
    # CUDA device whenever one is visible (tools/benchmark.py hides it for
    # --device cpu).
    cfg.setdefault('env_cfg', ConfigDict())
    cfg.env_cfg.setdefault('cudnn_benchmark', device.type == 'cuda')


def _summary(times: List[float], warmup: int, images: int,
             device: torch.device) -> dict:
    timed = times[warmup:]
    med = statistics.median(timed)
    out = dict(median_s=med,
               times_s=timed,
               images_per_iter=images,
               images_per_s=images / med if med > 0 else None)
    if device.type == 'cuda':
        out['peak_memory_mb'] = torch.cuda.max_memory_allocated(device) / 2**20
    return out


def _reset_memory(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)


def _images_per_batch(cfg: Config) -> int:
    """Images G sees per training iteration (both domains for UDA)."""
    batch = cfg.train_dataloader.batch_size
    dataset = cfg.train_dataloader.dataset
    return batch * (2 if dataset.get('type') == 'UDADataset' else 1)


def time_runner(cfg: Config, iters: int, warmup: int,
                device: torch.device) -> dict:
    """Median iteration time of ``Runner.train`` on ``cfg``."""
    from mmengine.runner import Runner
    with tempfile.TemporaryDirectory() as work_dir:
        run_cfg = _runner_cfg(cfg, warmup + iters, work_dir)
        _enable_cudnn_benchmark(run_cfg, device)
        _reset_memory(device)
        runner = Runner.from_cfg(run_cfg)
        runner.train()
        recorder = [
            h for h in runner.hooks if isinstance(h, IterTimeRecorderHook)
        ][0]
        result = _summary(recorder.times, warmup, _images_per_batch(cfg),
                          device)
        del runner
    return result


def _first_batch(cfg: Config, key: str):
    from mmengine.runner import Runner
    loader_cfg = copy.deepcopy(cfg[key])
    loader_cfg.update(num_workers=0, persistent_workers=False)
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    return next(iter(loader))


def _built_model(cfg: Config, device: torch.device):
    model = build_model_from_cfg(cfg)
    model.init_weights()
    if any(h.get('type') == 'ChannelsLastHook'
           for h in cfg.get('custom_hooks') or []):
        # what the hook does in the Runner modes, after init as there
        to_channels_last(model)
    return model.to(device)


def time_bare(cfg: Config, iters: int, warmup: int,
              device: torch.device) -> dict:
    """``model.train_step`` on one fixed batch, no Runner (lower bound)."""
    from mmengine.optim import build_optim_wrapper
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = _built_model(cfg, device)
    model.train()
    optim_wrapper = build_optim_wrapper(model, copy.deepcopy(
        cfg.optim_wrapper))
    batch = _first_batch(cfg, 'train_dataloader')
    _apply_first_stage(cfg, model)
    _reset_memory(device)
    times = []
    for _ in range(warmup + iters):
        _sync(device)
        start = time.perf_counter()
        model.train_step(batch, optim_wrapper)
        _sync(device)
        times.append(time.perf_counter() - start)
    return _summary(times, warmup, _images_per_batch(cfg), device)


def _apply_first_stage(cfg: Config, model) -> None:
    """What ``UDAStageHook`` sets before iteration 0, for the bare loop."""
    for hook in cfg.get('custom_hooks') or []:
        if hook.get('type') != 'UDAStageHook':
            continue
        aligners = model.module.aligners if is_model_wrapper(
            model) else model.aligners
        for name, params in (hook['stages'][0].get('aligners')
                             or {}).items():
            params = dict(params)
            if 'active' in params:
                aligners[name].active = bool(params.pop('active'))
            if params:
                aligners[name].set_stage_params(**params)


def time_inference(cfg: Config, iters: int, warmup: int,
                   device: torch.device) -> dict:
    """``model.test_step`` on the first validation batch, eval mode."""
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    key = 'val_dataloader' if cfg.get('val_dataloader') else 'test_dataloader'
    if not cfg.get(key):
        raise ValueError('inference: the config has no val/test dataloader')
    model = _built_model(cfg, device)
    model.eval()
    batch = _first_batch(cfg, key)
    images = len(batch['inputs'])
    _reset_memory(device)
    times = []
    with torch.no_grad():
        for _ in range(warmup + iters):
            _sync(device)
            start = time.perf_counter()
            model.test_step(batch)
            _sync(device)
            times.append(time.perf_counter() - start)
    return _summary(times, warmup, images, device)


def time_pseudo_labels(cfg: Config, iters: int, warmup: int,
                       device: torch.device) -> dict:
    """The pseudo-label generator on ``iters`` target images."""
    from mmseg.registry import DATASETS
    from ..apis.pseudo_labels import (PseudoLabelGenerator,
                                      inference_dataset_cfg)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    dataset = cfg.train_dataloader.dataset
    target = dataset.get('target', dataset)
    model = _built_model(cfg, device)
    _reset_memory(device)
    ds_cfg = inference_dataset_cfg(
        target.to_dict() if hasattr(target, 'to_dict') else dict(target))

    def generate(num_images: int, out_dir: str):
        ds = DATASETS.build(dict(ds_cfg, indices=num_images))
        _sync(device)
        start = time.perf_counter()
        PseudoLabelGenerator(out_dir).run(model, ds)
        _sync(device)
        return time.perf_counter() - start, len(ds)

    with tempfile.TemporaryDirectory() as out:
        if warmup > 0:
            generate(warmup, osp.join(out, 'warmup'))
        total, images = generate(iters, osp.join(out, 'timed'))
    out = dict(median_s=total / images,
               times_s=[total],
               images_per_iter=1,
               images_per_s=images / total)
    if device.type == 'cuda':
        out['peak_memory_mb'] = torch.cuda.max_memory_allocated(device) / 2**20
    return out


def benchmark_config(config: str,
                     modes: Sequence[str] = MODES,
                     iters: int = 20,
                     warmup: int = 5,
                     device: str = 'cuda',
                     size: Optional[Sequence[int]] = None,
                     stage: Optional[str] = None,
                     amp: Optional[str] = None,
                     drop_pretrained: bool = False,
                     cfg_options: Optional[dict] = None,
                     rounds: int = 1,
                     channels_last: bool = False) -> dict:
    """Time ``modes`` of one config; see the module docstring.

    Args:
        config (str): Config file.
        modes (Sequence[str]): Subset of :data:`MODES`.
        iters (int): Timed iterations per mode.
        warmup (int): Untimed iterations before them.
        device (str): ``'cuda'`` or ``'cpu'``.
        size (Sequence[int], optional): ``(W, H)`` for every ``Resize``
            (small CPU runs); default: the config's sizes.
        stage (str, optional): Time this stage of a ``UDAStageHook``.
        amp (str, optional): ``'fp16'`` / ``'bf16'``: every optimizer
            wrapper becomes an ``AmpOptimWrapper`` (CUDA only).
        drop_pretrained (bool): Remove ``Pretrained`` init_cfgs.
        cfg_options (dict, optional): Merged into the config.
        rounds (int): Runs of every mode, alternating the order; their
            timed iterations are pooled (:func:`pool_rounds`).
        channels_last (bool): Add a ``ChannelsLastHook`` (every mode then
            runs the networks with NHWC weights).

    Returns:
        dict: ``config``, ``device``, settings, and one entry per mode
        (:func:`_summary`), plus ratios ``method / source_only`` and
        ``method / bare`` when both were timed.
    """
    from ..apis.amp import enable_amp
    unknown = set(modes) - set(MODES)
    if unknown:
        raise ValueError(f'unknown modes {sorted(unknown)}; choose from '
                         f'{MODES}')
    if rounds < 1:
        raise ValueError(f'rounds must be >= 1, got {rounds}')
    if not osp.isfile(config):
        raise FileNotFoundError(f'config file not found: {config}')
    dev = torch.device(device)
    if dev.type == 'cuda' and not torch.cuda.is_available():
        raise RuntimeError('--device cuda: no CUDA device is available')
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if size is not None:
        set_input_size(cfg, size)
    if stage is not None:
        fix_stage(cfg, stage)
    if amp is not None:
        enable_amp(cfg, amp)
    if drop_pretrained:
        drop_pretrained_init(cfg)
    if channels_last:
        cfg.custom_hooks = list(cfg.get('custom_hooks') or []) + [
            dict(type='ChannelsLastHook')
        ]
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    result = dict(config=config,
                  device=(torch.cuda.get_device_name(dev)
                          if dev.type == 'cuda' else 'cpu'),
                  torch=torch.__version__,
                  threads=torch.get_num_threads(),
                  iters=iters,
                  warmup=warmup,
                  size=list(size) if size is not None else None,
                  stage=stage,
                  amp=amp,
                  channels_last=channels_last,
                  rounds=rounds)
    runs: Dict[str, List[dict]] = {mode: [] for mode in modes}
    for index in range(rounds):
        order = list(modes) if index % 2 == 0 else list(reversed(modes))
        for mode in order:
            runs[mode].append(_time_mode(cfg, mode, iters, warmup, dev))
    for mode in modes:
        result[mode] = pool_rounds(runs[mode],
                                   per_iteration=mode != 'pseudo_labels')
    for base in ('source_only', 'bare'):
        if 'method' in result and base in result:
            result[f'method_over_{base}'] = (result['method']['median_s'] /
                                             result[base]['median_s'])
    return result


def _time_mode(cfg: Config, mode: str, iters: int, warmup: int,
               device: torch.device) -> dict:
    if mode == 'method':
        return time_runner(cfg, iters, warmup, device)
    if mode == 'source_only':
        return time_runner(source_only_cfg(cfg), iters, warmup, device)
    if mode == 'bare':
        return time_bare(cfg, iters, warmup, device)
    if mode == 'inference':
        return time_inference(cfg, iters, warmup, device)
    return time_pseudo_labels(cfg, iters, warmup, device)


def pool_rounds(runs: Sequence[dict], per_iteration: bool = True) -> dict:
    """One summary from several runs of a mode (:func:`_summary` dicts).

    ``per_iteration``: the runs' ``times_s`` are iteration times, and the
    median is taken over all of them together; otherwise (pseudo labels:
    one total per run) over the runs' ``median_s``. ``round_medians_s``
    keeps each run's own median to show the spread, ``peak_memory_mb`` is
    the largest.
    """
    if len(runs) == 1:
        return runs[0]
    times = [t for run in runs for t in run['times_s']]
    medians = [run['median_s'] for run in runs]
    med = statistics.median(times if per_iteration else medians)
    images = runs[0]['images_per_iter']
    out = dict(median_s=med,
               times_s=times,
               images_per_iter=images,
               images_per_s=images / med if med > 0 else None,
               round_medians_s=medians)
    peaks = [run['peak_memory_mb'] for run in runs if 'peak_memory_mb' in run]
    if peaks:
        out['peak_memory_mb'] = max(peaks)
    return out


def format_table(results: Sequence[dict]) -> str:
    """A plain-text table, one row per (config, mode)."""
    header = ('config', 'mode', 'median s/iter', 'rounds min-max',
              'images/s', 'peak MB', 'x source-only', 'x bare')
    rows = [header]
    for res in results:
        # the method's folder too: most leaves are named deeplabv2_gta2city
        folder = osp.basename(osp.dirname(osp.abspath(res['config'])))
        name = f"{folder}/{osp.splitext(osp.basename(res['config']))[0]}"
        if res.get('stage'):
            name += f' [{res["stage"]}]'
        if res.get('amp'):
            name += f' {res["amp"]}'
        if res.get('channels_last'):
            name += ' channels-last'
        for mode in MODES:
            if mode not in res:
                continue
            r = res[mode]
            ratio_s = ratio_b = ''
            if mode == 'method':
                if 'method_over_source_only' in res:
                    ratio_s = f'{res["method_over_source_only"]:.2f}'
                if 'method_over_bare' in res:
                    ratio_b = f'{res["method_over_bare"]:.3f}'
            peak = r.get('peak_memory_mb')
            spread = r.get('round_medians_s')
            spread = (f'{min(spread):.4f}-{max(spread):.4f}'
                      if spread else '-')
            rows.append((name, mode, f'{r["median_s"]:.4f}', spread,
                         f'{r["images_per_s"]:.2f}',
                         '-' if peak is None else f'{peak:.0f}', ratio_s,
                         ratio_b))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for k, row in enumerate(rows):
        lines.append(' | '.join(c.ljust(w) for c, w in zip(row, widths)))
        if k == 0:
            lines.append('-+-'.join('-' * w for w in widths))
    return '\n'.join(lines)
