"""Generate the synthetic domain-shift benchmark (SPEC section 7).

Writes a GTA5-layout source and a Cityscapes-layout target dataset of
street-like scenes under OUT_DIR (the layout:
``mmseg_uda/benchmark/synthetic_shift/generator.py``).
``meta.json`` is written last: rerunning with the same parameters does
nothing, other parameters are refused unless ``--overwrite``.

Example::

    python tools/generate_synthetic_shift.py data/synthetic_shift --seed 0
    python tools/generate_synthetic_shift.py data/synth_s1 --seed 1 \\
        --num-source 100 --num-target-train 100 --num-target-val 20
"""
import argparse
import os.path as osp
import time

from mmseg_uda.benchmark.synthetic_shift import (META_FILE, TARGET_PALETTES,
                                                 generate_synthetic_shift)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Generate the synthetic source/target domain-shift '
        'segmentation benchmark.')
    parser.add_argument('out_dir', help='output folder')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument('--num-source',
                        type=int,
                        default=400,
                        help='source images')
    parser.add_argument('--num-target-train',
                        type=int,
                        default=400,
                        help='target train images')
    parser.add_argument('--num-target-val',
                        type=int,
                        default=100,
                        help='target val images')
    parser.add_argument('--source-size',
                        type=int,
                        nargs=2,
                        default=(320, 180),
                        metavar=('W', 'H'),
                        help='source image size')
    parser.add_argument('--target-size',
                        type=int,
                        nargs=2,
                        default=(256, 128),
                        metavar=('W', 'H'),
                        help='target image size')
    parser.add_argument(
        '--no-source-void',
        dest='source_void',
        action='store_false',
        help='no void clutter (ignored label) in the source: the data of '
        'generator 1.0.0, on which the README\'s first benchmark table was '
        'measured')
    parser.add_argument(
        '--target-palette',
        choices=TARGET_PALETTES,
        default='swapped',
        help='target class colours: swapped (the benchmark: road, sidewalk, '
        'pole, vegetation and fence look like other source classes), '
        'consistent (each class keeps a dulled version of its source '
        'colour; everything else of the target is the same) or source (the '
        'source\'s whole look: flat colours, no camera effects or hood; only '
        'the target layout differs, the mildest shift)')
    parser.add_argument('--nproc',
                        type=int,
                        default=1,
                        help='worker processes')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace an existing benchmark generated with other parameters')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    existed = osp.isfile(osp.join(args.out_dir, META_FILE))
    start = time.perf_counter()
    meta = generate_synthetic_shift(args.out_dir,
                                    seed=args.seed,
                                    num_source=args.num_source,
                                    num_target_train=args.num_target_train,
                                    num_target_val=args.num_target_val,
                                    source_size=tuple(args.source_size),
                                    target_size=tuple(args.target_size),
                                    source_void=args.source_void,
                                    target_palette=args.target_palette,
                                    overwrite=args.overwrite,
                                    nproc=args.nproc)
    if existed and not args.overwrite:
        print(f'\n{args.out_dir} already holds this benchmark; nothing done.')
        return
    counts = meta['counts']
    print(f'\nWrote {counts["source"]} source, {counts["target_train"]} '
          f'target train and {counts["target_val"]} target val images to '
          f'{args.out_dir} in {time.perf_counter() - start:.1f} s.')
    for subset, freq in meta['class_pixel_frequency'].items():
        text = ', '.join(f'{k} {v:.3f}' for k, v in freq.items())
        print(f'{subset}: {text}')


if __name__ == '__main__':
    main()
