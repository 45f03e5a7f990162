#!/usr/bin/env bash
# Every figure of the README's performance section, in one command (issue 7).
#
#   bash tools/benchmark_suite.sh OUT_DIR [PART ...]
#
# PARTs, in this order (default: all of them):
#   data          stand-in data where the real sets are missing: full-size
#                 GTA5 / Cityscapes layouts (1914x1052, 2048x1024) and the
#                 synthetic benchmark (tools/generate_synthetic_shift.py)
#   smoke         every demo method trains 2 iterations (bf16 AMP on CUDA),
#                 and the GPU-only AMP tests of the test suite
#   speed         tools/benchmark.py, fp32, DeepLab-v2 ResNet-101 at the
#                 configs' sizes: source only, AdaptSegNet, GL (local stage),
#                 SIM step 1, LDR -> bench_fp32.json
#   amp           the same for source only and AdaptSegNet with --amp bf16
#                 -> bench_bf16.json, and AdaptSegNet bf16 with its networks
#                 in channels-last (ChannelsLastHook) -> bench_bf16_cl.json
#                 (CUDA only)
#   ar            tools/analysis/affinity_loss_cost.py, PSPNet-R101 480x480
#                 batch 2 -> ar_cost.json
#   amp_accuracy  the AdaptSegNet demo (1000 iterations) fp32 and bf16 for
#                 SEEDS, side by side -> amp_accuracy.json (CUDA only)
#
# OUT_DIR receives the JSON files, summary.txt (every table) and logs.tar.gz
# (every log); data and training runs go to WORK_DIR. Each step has a time
# limit, and a failed step does not stop the others: the exit status is the
# number of failed steps. Settings (environment):
#   DEVICE=cuda   ITERS=10  WARMUP=3   SEEDS="0 1 2"   ACC_ITERS=1000
#   WORK_DIR=work_dirs/benchmark_suite   STEP_TIMEOUT=900 (seconds)
#   SIZE="W H"    shrink every input (tools/benchmark.py --size); for dry
#                 runs on a CPU, with STANDIN_SIZE="W H" for the stand-ins
#   PYTHON=python (python3 where there is no python)
# A CPU dry run of the whole suite (minutes, not the README's figures):
#   DEVICE=cpu SIZE="64 64" STANDIN_SIZE="96 64" ITERS=1 WARMUP=1 \
#       ACC_ITERS=4 SEEDS=0 bash tools/benchmark_suite.sh /tmp/suite
# On a GPU machine without internet, install the OpenMMLab wheels first
# (README, "Performance").
set -uo pipefail

if [ $# -lt 1 ]; then
    sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 2
fi
# paths are the caller's: make them absolute before moving to the repo root
OUT_DIR=$(mkdir -p "$1" && cd "$1" && pwd) || exit 2
shift
PARTS=${*:-data smoke speed amp ar amp_accuracy}
WORK_DIR=${WORK_DIR:-$(cd "$(dirname "$0")/.." && pwd)/work_dirs/benchmark_suite}
WORK_DIR=$(mkdir -p "$WORK_DIR" && cd "$WORK_DIR" && pwd) || exit 2

cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$(command -v python || command -v python3)}
DEVICE=${DEVICE:-cuda}
ITERS=${ITERS:-10}
WARMUP=${WARMUP:-3}
SEEDS=${SEEDS:-0 1 2}
ACC_ITERS=${ACC_ITERS:-1000}
SIZE=${SIZE:-}
STANDIN_SIZE=${STANDIN_SIZE:-}
STEP_TIMEOUT=${STEP_TIMEOUT:-900}
LOG_DIR=$WORK_DIR/logs
mkdir -p "$OUT_DIR" "$LOG_DIR"
export PYTHONUNBUFFERED=1
FAILED=0
SUMMARY=$OUT_DIR/summary.txt
: >"$SUMMARY"

say() { echo "[suite $(date +%H:%M:%S)] $*" | tee -a "$SUMMARY"; }

# step NAME CMD...: run with the time limit, log to LOG_DIR/NAME.log
step() {
    local name=$1
    shift
    say "$name: $*"
    local start=$SECONDS
    timeout "$STEP_TIMEOUT" "$@" >"$LOG_DIR/$name.log" 2>&1
    local rc=$?
    say "$name: exit $rc after $((SECONDS - start)) s (log $LOG_DIR/$name.log)"
    if [ "$rc" -ne 0 ]; then
        FAILED=$((FAILED + 1))
        tail -n 25 "$LOG_DIR/$name.log" | sed 's/^/    /' | tee -a "$SUMMARY"
    fi
    return "$rc"
}

# the last table a benchmark log printed (after its blank line)
last_table() { awk 'BEGIN{RS=""} {t=$0} END{print t}' "$1"; }
# a log without Python's warnings (mmcv-lite, deprecations)
no_warnings() { grep -v -e 'Warning: ' -e '^ *warnings.warn' "$1"; }

# background steps count their failures in their own subshells: count
# here every named step whose exit line in the summary is not 0
count_background_failures() {
    local name
    for name in "$@"; do
        grep -q "] $name: exit 0 after" "$SUMMARY" || FAILED=$((FAILED + 1))
    done
}

has_part() { [[ " $PARTS " == *" $1 "* ]]; }

cuda_only() {
    if [ "$DEVICE" != cuda ]; then
        say "$1: skipped (needs CUDA; DEVICE=$DEVICE)"
        return 1
    fi
}

size_args=()
[ -n "$SIZE" ] && size_args=(--size $SIZE)

FULL_CONFIGS=(
    configs/source_only/deeplabv2_r101_gta2city.py
    configs/adaptsegnet/deeplabv2_gta2city.py
    configs/globallocal/deeplabv2_gta2city.py
    configs/sim/deeplabv2_gta2city_step1.py
    configs/ldr/deeplabv2_gta2city.py
)
NPROC=$(nproc)

say "device $DEVICE, parts: $PARTS"
$PYTHON - <<'EOF' 2>&1 | tee -a "$SUMMARY"
import platform, torch
dev = torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'cpu'
print(f'torch {torch.__version__}, {dev}, python {platform.python_version()}')
EOF

if has_part data; then
    # Real data wins: a stand-in is linked only where the path is missing.
    standin=$WORK_DIR/standin_fullsize
    need=$((ITERS + WARMUP + 4))
    src_size=${STANDIN_SIZE:-1914 1052}
    tgt_size=${STANDIN_SIZE:-2048 1024}
    step data_fullsize $PYTHON tools/generate_synthetic_shift.py "$standin" \
        --num-source "$need" --num-target-train "$need" --num-target-val 4 \
        --source-size $src_size --target-size $tgt_size --nproc "$NPROC"
    mkdir -p data
    # SIM reads translated GTA5 images, LDR translated Cityscapes ones
    for pair in gta:source gta_s2t_cityscapes:source cityscapes:target \
        cityscapes_t2s_gta5:target; do
        link=data/${pair%%:*}
        if [ -e "$link" ] || [ -L "$link" ]; then
            say "data: $link exists, used as it is"
        else
            ln -s "$standin/${pair##*:}" "$link"
            say "data: $link -> stand-in $standin/${pair##*:}"
        fi
    done
    if [ -e data/synthetic_shift/meta.json ]; then
        say "data: data/synthetic_shift exists, used as it is"
    else
        step data_synthetic $PYTHON tools/generate_synthetic_shift.py \
            data/synthetic_shift --nproc "$NPROC"
    fi
fi

if has_part smoke; then
    amp_args=()
    [ "$DEVICE" = cuda ] && amp_args=(--amp bf16)
    methods=(source_only adaptsegnet advent globallocal selftraining sim ldr arloss)
    running=0
    for method in "${methods[@]}"; do
        extra=()
        # LDR's demo reads a pretrained M and translated images: the smoke
        # run takes random M weights and the original target images.
        [ "$method" = ldr ] && extra=(
            model.aligners.ldr.reconstructor.init_cfg=None
            train_dataloader.dataset.target.data_root=data/synthetic_shift/target)
        step "smoke_$method" $PYTHON tools/train.py \
            "configs/demo/${method}_synthetic.py" \
            --work-dir "$WORK_DIR/smoke_$method" "${amp_args[@]}" \
            --cfg-options train_cfg.max_iters=2 train_cfg.val_interval=2 \
            val_dataloader.dataset.indices=4 "${extra[@]}" &
        running=$((running + 1))
        if [ "$running" -ge 4 ]; then wait -n; running=$((running - 1)); fi
    done
    wait
    count_background_failures "${methods[@]/#/smoke_}"
    if [ "$DEVICE" = cuda ]; then
        step smoke_gpu_tests $PYTHON -m pytest -q -p no:cacheprovider \
            tests/test_tools/test_train_test.py -k on_gpu
    fi
fi

if has_part speed; then
    step speed_fp32 $PYTHON tools/benchmark.py "${FULL_CONFIGS[@]}" \
        --stage local_mix --no-pretrained --device "$DEVICE" \
        --iters "$ITERS" --warmup "$WARMUP" "${size_args[@]}" \
        --out "$OUT_DIR/bench_fp32.json" &&
        last_table "$LOG_DIR/speed_fp32.log" | tee -a "$SUMMARY"
fi

if has_part amp && cuda_only amp; then
    step speed_bf16 $PYTHON tools/benchmark.py "${FULL_CONFIGS[@]:0:2}" \
        --modes method source_only bare --amp bf16 --no-pretrained \
        --device "$DEVICE" --iters "$ITERS" --warmup "$WARMUP" "${size_args[@]}" \
        --out "$OUT_DIR/bench_bf16.json" &&
        last_table "$LOG_DIR/speed_bf16.log" | tee -a "$SUMMARY"
    step speed_bf16_cl $PYTHON tools/benchmark.py "${FULL_CONFIGS[1]}" \
        --modes method bare --amp bf16 --channels-last --no-pretrained \
        --device "$DEVICE" --iters "$ITERS" --warmup "$WARMUP" "${size_args[@]}" \
        --out "$OUT_DIR/bench_bf16_cl.json" &&
        last_table "$LOG_DIR/speed_bf16_cl.log" | tee -a "$SUMMARY"
fi

if has_part ar; then
    ar_size=(480 480)
    [ -n "$SIZE" ] && ar_size=($SIZE)
    step ar_cost $PYTHON tools/analysis/affinity_loss_cost.py \
        --size "${ar_size[@]}" --batch 2 --iters "$ITERS" --warmup "$WARMUP" \
        --device "$DEVICE" --out "$OUT_DIR/ar_cost.json" &&
        no_warnings "$LOG_DIR/ar_cost.log" | tee -a "$SUMMARY"
fi

if has_part amp_accuracy; then
    precisions=(fp32)
    [ "$DEVICE" = cuda ] && precisions=(fp32 bf16)
    for prec in "${precisions[@]}"; do
        for seed in $SEEDS; do
            amp_args=()
            [ "$prec" = bf16 ] && amp_args=(--amp bf16)
            step "acc_${prec}_s$seed" $PYTHON tools/train.py \
                configs/demo/adaptsegnet_synthetic.py \
                --work-dir "$WORK_DIR/acc_${prec}_s$seed" "${amp_args[@]}" \
                --cfg-options randomness.seed="$seed" \
                train_cfg.max_iters="$ACC_ITERS" \
                train_cfg.val_interval="$ACC_ITERS" &
        done
    done
    wait
    groups=()
    for prec in "${precisions[@]}"; do
        groups+=("AdaptSegNet demo $prec=$WORK_DIR/acc_${prec}_s*")
    done
    step acc_summary $PYTHON tools/analysis/summarize_seeds.py \
        --metric mIoU10 "${groups[@]}" --out "$OUT_DIR/amp_accuracy.json" &&
        no_warnings "$LOG_DIR/acc_summary.log" | tee -a "$SUMMARY"
    runs=()
    for prec in "${precisions[@]}"; do
        for seed in $SEEDS; do runs+=("acc_${prec}_s$seed"); done
    done
    count_background_failures "${runs[@]}"
fi

tar -czf "$OUT_DIR/logs.tar.gz" -C "$WORK_DIR" logs
say "done: $FAILED failed step(s); results in $OUT_DIR"
exit "$FAILED"
