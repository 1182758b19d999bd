#!/usr/bin/env bash
# `initscope bench --arch transformer` against Benchmarks/transformer_numpy.py (independent NumPy code of the same
# workload: pre-LN, tanh FFN, Xavier-normal weights, 1/sqrt(d_k), no mask): first both on a small configuration
# (L=12, d=128, T=32, B=16), whose layer-averaged growth per block of the stream's second moment and of its gradient
# must agree within 2%; then both timed one after the other on L=12, d=256, T=64, B=16. Prints the medians and
# NumPy / initscope.
# Usage: bash Benchmarks/transformer.sh [BIN] [REPEATS]      (BIN default .build-shipped/release/initscope)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build-shipped/release/initscope}
REPEATS=${2:-5}
python3 -c 'import numpy' 2>/dev/null || { echo "transformer.sh: NumPy is not installed; nothing to compare"; exit 0; }

small="--depth 12 --width 128 --tokens 32 --batch 16 --heads 4 --activation tanh"
ours=$("$BIN" bench --arch transformer --init xavier $small --repeats 1 --json)
theirs=$(python3 Benchmarks/transformer_numpy.py $small --repeats 1)
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1])["check"], json.loads(sys.argv[2])["check"]
worst = 0.0
for key in ("stream_growth_per_block", "gradient_growth_per_block"):
    a, b = ours[key], theirs[key]
    worst = max(worst, abs(a / b - 1))
    print(f"{key}: initscope {a:.5f}  numpy {b:.5f}  ({100 * (a / b - 1):+.2f}%)")
if worst > 0.02:
    sys.exit("transformer.sh: growth ratios differ by more than 2%")
PY

big="--depth 12 --width 256 --tokens 64 --batch 16 --heads 4 --activation tanh"
ours=$("$BIN" bench --arch transformer --init xavier $big --repeats "$REPEATS" --json)
theirs=$(python3 Benchmarks/transformer_numpy.py $big --repeats "$REPEATS")
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
a, b = ours["median"]["total"], theirs["median"]["total"]
print(f"L=12 d=256 T=64 B=16 tanh: initscope {a:.3f} s (pass / GEMMs alone {ours['pass_over_gemm']:.2f}, "
      f"other load {ours.get('other_load', float('nan')):.2f} cores), numpy {b:.3f} s: numpy / initscope = {b / a:.2f}x")
PY
