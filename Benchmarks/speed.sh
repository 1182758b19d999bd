#!/usr/bin/env bash
# The four speed goals in one run (issues 11 and 12), each against its NumPy reference, NumPy on its default BLAS
# threads and pinned to 1 thread: `bench --arch resnet` (Benchmarks/resnet.sh), `bench --arch transformer`
# (Benchmarks/transformer.sh), `bench --train` on the MLP and on the transformer (Benchmarks/train.sh). Prints the
# load average (uptime) before and after each. About 1-2 minutes on a quiet 2-core machine.
# Usage: bash Benchmarks/speed.sh [BIN] [REPEATS] [ROUNDS]    (defaults: shipped binary, 3 repeats, 1 round)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build-shipped/release/initscope}
REPEATS=${2:-3}
ROUNDS=${3:-1}
echo "== bench --arch resnet"; bash Benchmarks/resnet.sh "$BIN" "$REPEATS"
echo "== bench --arch transformer"; bash Benchmarks/transformer.sh "$BIN" "$REPEATS"
echo "== bench --train (MLP)"; BENCH_STEPS=${BENCH_STEPS:-10} bash Benchmarks/train.sh "$BIN" "$ROUNDS"
echo "== bench --train --arch transformer"
BENCH_ARCH=transformer BENCH_STEPS=${BENCH_STEPS:-10} bash Benchmarks/train.sh "$BIN" "$ROUNDS"
