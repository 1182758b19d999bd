#!/usr/bin/env bash
# Byte-identity of `report` between two initscope binaries (e.g. main's and a branch's) on MLP scenarios that take
# every statistics path: with and without --histograms (fused or separate phi and scans), tanh, ReLU, GELU (kept h),
# LSUV (calibrated weights), orthogonal, odd sizes, layers large enough for two-part scans and the cell-counting
# histograms, at 1 and 2 threads, and each binary against itself across thread counts.
# Usage: bash scripts/compare-report-bits.sh BIN_A BIN_B   (exit 1 on the first difference)
set -euo pipefail
A=$1 B=$2
scenarios=(
  "--activation tanh --init xavier,he,orthogonal --depth 6 --width 512 --batch 256"
  "--activation relu --init he,lsuv,orthogonal --depth 5 --width 384 --batch 200"
  "--activation tanh --init lsuv,normal:1 --depth 4 --width 300 --batch 77 --seed 7"
  "--activation gelu --init he,xavier --depth 3 --width 256 --batch 300"
  "--activation relu --init xavier,zeros --depth 3 --width 64 --batch 32 --bias-std 0.1"
  "--activation tanh --init normal:3 --depth 8 --width 512 --batch 128 --seed 3"
)
n=0
for scenario in "${scenarios[@]}"; do
  for histograms in "--histograms" ""; do
    for threads in 1 2; do
      # shellcheck disable=SC2086
      a=$(OPENBLAS_NUM_THREADS=$threads "$A" report $scenario --format json $histograms | sha256sum)
      # shellcheck disable=SC2086
      b=$(OPENBLAS_NUM_THREADS=$threads "$B" report $scenario --format json $histograms | sha256sum)
      # shellcheck disable=SC2086
      b1=$(OPENBLAS_NUM_THREADS=$((3 - threads)) "$B" report $scenario --format json $histograms | sha256sum)
      if [[ "$a" != "$b" || "$b" != "$b1" ]]; then
        echo "DIFFERENT: $scenario $histograms threads=$threads" >&2; exit 1
      fi
      n=$((n + 1))
    done
  done
done
echo "identical: $n scenario runs (each: A and B at the same thread count, B at the other count)"
