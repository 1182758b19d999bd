#!/usr/bin/env bash
# `initscope bench --arch transformer` against Benchmarks/transformer_numpy.py (Benchmarks/compare_numpy.sh; pre-LN,
# tanh FFN, Xavier-normal weights, 1/sqrt(d_k), no mask): the growth check on L=12, d=128, T=32, B=16, then both
# timed on L=12, d=256, T=64, B=16.
# Usage: [ROUNDS=3] bash Benchmarks/transformer.sh [BIN] [REPEATS]      (BIN default .build-shipped/release/initscope)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/compare_numpy.sh
compare_with_numpy transformer xavier "--depth 12 --width 128 --tokens 32 --batch 16 --heads 4 --activation tanh" \
    "--depth 12 --width 256 --tokens 64 --batch 16 --heads 4 --activation tanh" "L=12 d=256 T=64 B=16 tanh" \
    "${1:-.build-shipped/release/initscope}" "${2:-5}"
