#!/usr/bin/env bash
# `initscope bench --train` against Benchmarks/train_numpy.py (independent NumPy code of the same training loop:
# teacher batch, forward, MSE, backward, gradient norm, held-out loss every 10 steps, per-layer statistics, Adam,
# update-to-data ratios), one after the other, ROUNDS times alternating; prints each side's steps per second, the
# other processes' load during each, and initscope / NumPy. Both use 2 threads (NumPy: OPENBLAS_NUM_THREADS=2).
# Usage: bash Benchmarks/train.sh [BIN] [ROUNDS] [extra flags for both, e.g. "--depth 20 --width 512 --batch 256"]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build-shipped/release/initscope}
ROUNDS=${2:-2}
SIZES=${3:---depth 20 --width 512 --batch 256}
STEPS=${BENCH_STEPS:-30}
THREADS=${BENCH_THREADS:-2}
python3 -c 'import numpy' 2>/dev/null || { echo "train.sh: NumPy is not installed; nothing to compare"; exit 0; }
echo "# load before: $(uptime)"
for round in $(seq 1 "$ROUNDS"); do
    # shellcheck disable=SC2086
    ours=$("$BIN" bench --train $SIZES --steps "$STEPS" --threads "$THREADS" --json)
    # shellcheck disable=SC2086
    theirs=$(OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS python3 Benchmarks/train_numpy.py $SIZES --steps "$STEPS")
    python3 - "$round" "$ours" "$theirs" <<'PY'
import json, sys
r, ours, theirs = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
a, b = ours["steps_per_second"], theirs["steps_per_second"]
print(f"round {r}: L={ours['L']} n={ours['n']} B={ours['B']} {ours['act']} adam: initscope {a:.3f} steps/s "
      f"(other load {ours['other_load']:.2f} cores), numpy {b:.3f} steps/s (other load {theirs['other_load']:.2f}): "
      f"initscope / numpy = {a / b:.2f}x (goal >= 1.5)")
PY
done
echo "# load after: $(uptime)"
