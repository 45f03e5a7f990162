"""Cost of the AR loss inside a training iteration (forward + backward).

Times ``model.loss(...)`` + ``backward()`` of a segmentor from a config
(default: PSPNet-R101 of configs/arloss) with the main head's losses
``[CE]`` and ``[CE, AffinityRegressionLoss]``, on random weights and a
random batch, alternating the two variants iteration by iteration so that
load drift on the machine hits both alike. Reports the medians of N timed
iterations after warm-up, the AR loss's share of the iteration, and the AR
loss alone (forward + backward on logits at the label size)::

    python tools/analysis/affinity_loss_cost.py --size 480 480 --batch 2 \\
        --iters 10 --device cuda --out work_dirs/ar_cost.json

No optimizer step is timed (it is the same for both variants).
"""
import argparse
import os.path as osp
import platform
import statistics
import sys
import time
from typing import Callable, Dict, List

import torch

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

import mmseg_uda  # noqa: E402,F401  registers the plugin's components
from mmseg_uda.datasets.file_io import atomic_write_json  # noqa: E402
from mmseg_uda.models.losses import AffinityRegressionLoss  # noqa: E402

DEFAULT_CONFIG = osp.join(osp.dirname(__file__), '..', '..', 'configs',
                          'arloss', 'pspnet_r101-d8_2xb3-26k_nyuv2-480x480.py')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Share of the AR loss in a training iteration')
    parser.add_argument('--config', default=DEFAULT_CONFIG)
    parser.add_argument('--size',
                        type=int,
                        nargs=2,
                        default=[480, 480],
                        metavar=('H', 'W'),
                        help='input (and label) size')
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--iters',
                        type=int,
                        default=10,
                        help='timed iterations per variant')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--grid-sizes', type=int, nargs='+', default=[12, 6])
    parser.add_argument('--out', help='JSON file for the results')
    args = parser.parse_args(argv)
    if args.iters < 1 or args.warmup < 0 or args.batch < 1:
        parser.error('--iters and --batch must be >= 1, --warmup >= 0')
    return args


def _sync(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def build_model(config: str, device: torch.device) -> torch.nn.Module:
    """The config's segmentor with random weights, BN instead of SyncBN."""
    from mmengine.config import Config
    from mmengine.model import revert_sync_batchnorm
    from mmseg_uda.apis import build_model_from_cfg
    cfg = Config.fromfile(config)
    model = build_model_from_cfg(cfg)
    model = revert_sync_batchnorm(model).to(device)
    model.train()
    return model


def random_batch(model, batch: int, size, device: torch.device):
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    num_classes = model.decode_head.num_classes
    inputs = torch.randn(batch, 3, *size, device=device)
    samples = []
    for _ in range(batch):
        label = torch.randint(0, num_classes, (1, *size), device=device)
        sample = SegDataSample(gt_sem_seg=PixelData(data=label))
        sample.set_metainfo(
            dict(img_shape=tuple(size),
                 pad_shape=tuple(size),
                 ori_shape=tuple(size)))
        samples.append(sample)
    return inputs, samples


def time_alternating(steps: Dict[str, Callable[[], None]], iters: int,
                     warmup: int, device: torch.device) -> Dict[str, List]:
    """Seconds per call of each step, the steps run in turn."""
    times = {name: [] for name in steps}
    for it in range(warmup + iters):
        for name, step in steps.items():
            _sync(device)
            start = time.perf_counter()
            step()
            _sync(device)
            if it >= warmup:
                times[name].append(time.perf_counter() - start)
    return times


def main(argv=None) -> dict:
    args = parse_args(argv)
    device = torch.device(args.device)
    model = build_model(args.config, device)
    head = model.decode_head
    ce_only = torch.nn.ModuleList(
        head.loss_decode if isinstance(head.loss_decode, torch.nn.ModuleList)
        else [head.loss_decode])
    ce_only = torch.nn.ModuleList(
        [m for m in ce_only if not isinstance(m, AffinityRegressionLoss)])
    ar = AffinityRegressionLoss(grid_sizes=args.grid_sizes)
    with_ar = torch.nn.ModuleList(list(ce_only) + [ar])
    inputs, samples = random_batch(model, args.batch, args.size, device)

    def iteration(losses):

        def step():
            head.loss_decode = losses
            parsed, _ = model.parse_losses(model.loss(inputs, samples))
            parsed.backward()
            model.zero_grad(set_to_none=True)

        return step

    num_classes = head.num_classes
    logits = torch.randn(args.batch, num_classes, *args.size, device=device,
                         requires_grad=True)
    labels = torch.stack([s.gt_sem_seg.data[0] for s in samples])

    def loss_only():
        ar(logits, labels).backward()
        logits.grad = None

    times = time_alternating(
        dict(without_ar=iteration(ce_only),
             with_ar=iteration(with_ar),
             ar_loss_only=loss_only), args.iters, args.warmup, device)
    med = {k: statistics.median(v) for k, v in times.items()}
    result = dict(
        config=osp.relpath(args.config),
        model=type(model.backbone).__name__,
        device=str(device),
        device_name=(torch.cuda.get_device_name(device)
                     if device.type == 'cuda' else platform.processor()
                     or platform.machine()),
        torch_threads=torch.get_num_threads(),
        size=list(args.size),
        batch=args.batch,
        num_classes=num_classes,
        grid_sizes=args.grid_sizes,
        iters=args.iters,
        warmup=args.warmup,
        median_s=med,
        times_s=times,
        ar_share_of_iteration=(med['with_ar'] - med['without_ar']) /
        med['with_ar'],
        ar_loss_only_share=med['ar_loss_only'] / med['with_ar'])
    print(f"{result['config']}  {device}  input {args.batch}x3x"
          f"{args.size[0]}x{args.size[1]}  {num_classes} classes  "
          f"median of {args.iters} after {args.warmup} warm-up")
    print(f"{'variant':<34}{'median ms':>12}")
    rows = [('forward+backward, CE', med['without_ar']),
            ('forward+backward, CE + AR', med['with_ar']),
            ('AR loss alone (fwd+bwd)', med['ar_loss_only'])]
    for name, sec in rows:
        print(f'{name:<34}{sec * 1e3:>12.2f}')
    print(f"AR share of the iteration: "
          f"{100 * result['ar_share_of_iteration']:.2f}% (difference of "
          f"medians), {100 * result['ar_loss_only_share']:.2f}% "
          '(loss alone / iteration with AR)')
    if args.out:
        atomic_write_json(args.out, result)
        print(f'wrote {args.out}')
    return result


if __name__ == '__main__':
    main()
