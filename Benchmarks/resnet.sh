#!/usr/bin/env bash
# `initscope bench --arch resnet` against Benchmarks/resnet_numpy.py (Benchmarks/compare_numpy.sh): the growth check
# on L=30, n=256, B=128, then both timed on L=100, n=512, B=256 (tanh, He, no normalization).
# Usage: [ROUNDS=3] bash Benchmarks/resnet.sh [BIN] [REPEATS]      (BIN default .build-shipped/release/initscope)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/compare_numpy.sh
compare_with_numpy resnet he "--depth 30 --width 256 --batch 128 --activation tanh" \
    "--depth 100 --width 512 --batch 256 --activation tanh" "L=100 n=512 B=256 tanh" \
    "${1:-.build-shipped/release/initscope}" "${2:-5}"
