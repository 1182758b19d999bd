#!/usr/bin/env bash
# `initscope bench --train` against an independent NumPy version of the same training loop, one after the other,
# ROUNDS times alternating; prints each side's steps per second, the other processes' load during each, and
# initscope / NumPy. Both use 2 threads (NumPy: OPENBLAS_NUM_THREADS=2); NumPy also runs on 1 thread (its 2-thread
# BLAS collapses when another process keeps a core busy; the 1-thread figure is the fair one on a loaded machine).
#   MLP (default): teacher batch, forward, MSE, backward, gradient norm, held-out loss every 10 steps, per-layer
#   statistics, Adam, update-to-data ratios (Benchmarks/train_numpy.py).
#   BENCH_ARCH=transformer: bigram batches, embeddings, pre-LN blocks with gains, causal attention, read-out,
#   cross-entropy, the same statistics and Adam (Benchmarks/train_transformer_numpy.py).
# Usage: [BENCH_ARCH=mlp|transformer] [BENCH_STEPS=30] bash Benchmarks/train.sh [BIN] [ROUNDS] [SIZES]
#        SIZES = flags for both, default "--depth 20 --width 512 --batch 256" (MLP) or
#        "--depth 12 --width 256 --tokens 32 --batch 8 --heads 4" (transformer)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build-shipped/release/initscope}
ROUNDS=${2:-2}
ARCH=${BENCH_ARCH:-mlp}
if [[ $ARCH == transformer ]]; then
    SIZES=${3:---depth 12 --width 256 --tokens 32 --batch 8 --heads 4}
    OURS_FLAGS="--arch transformer"; REFERENCE=Benchmarks/train_transformer_numpy.py
else
    SIZES=${3:---depth 20 --width 512 --batch 256}
    OURS_FLAGS=""; REFERENCE=Benchmarks/train_numpy.py
fi
STEPS=${BENCH_STEPS:-30}
THREADS=${BENCH_THREADS:-2}
python3 -c 'import numpy' 2>/dev/null || { echo "train.sh: NumPy is not installed; nothing to compare"; exit 0; }
echo "# load before: $(uptime)"
for round in $(seq 1 "$ROUNDS"); do
    # shellcheck disable=SC2086
    ours=$("$BIN" bench --train $OURS_FLAGS $SIZES --steps "$STEPS" --threads "$THREADS" --json)
    # shellcheck disable=SC2086
    theirs=$(OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS python3 "$REFERENCE" $SIZES --steps "$STEPS")
    # shellcheck disable=SC2086
    single=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 "$REFERENCE" $SIZES --steps "$STEPS")
    python3 - "$round" "$ours" "$theirs" "$single" <<'PY'
import json, sys
r, ours, theirs, single = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
a, b, c = ours["steps_per_second"], theirs["steps_per_second"], single["steps_per_second"]
print(f"round {r}: {ours['arch']} L={ours['L']} n={ours['n']} B={ours['B']} {ours['act']} adam: "
      f"initscope {a:.3f} steps/s (other load {ours['other_load']:.2f} cores), "
      f"numpy 2 threads {b:.3f} (other load {theirs['other_load']:.2f}), numpy 1 thread {c:.3f} "
      f"(other load {single['other_load']:.2f}): initscope / numpy = {a / b:.2f}x, / numpy 1 thread = {a / c:.2f}x (goal >= 1.5)")
PY
done
echo "# load after: $(uptime)"
