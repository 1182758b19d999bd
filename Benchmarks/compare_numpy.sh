#!/usr/bin/env bash
# What Benchmarks/resnet.sh and Benchmarks/transformer.sh share (sourced by both): `initscope bench --arch ARCH`
# against Benchmarks/ARCH_numpy.py (independent NumPy code of the same workload). First both on a small
# configuration, whose layer-averaged growth per block of the stream's second moment and of its gradient must agree
# within 2%; then both timed one after the other on the large one, NumPy twice: with its default BLAS threads and
# pinned to 1 thread (OPENBLAS_NUM_THREADS=1: its threads collapse when other processes keep a core busy). Prints the
# medians, NumPy / initscope for each, and the machine's load average before and after (uptime).
# compare_with_numpy ARCH INIT "SMALL FLAGS" "LARGE FLAGS" LABEL BIN REPEATS
compare_with_numpy() {
    local arch=$1 init=$2 small=$3 large=$4 label=$5 bin=$6 repeats=$7 ours theirs
    python3 -c 'import numpy' 2>/dev/null || { echo "$arch: NumPy is not installed; nothing to compare"; return 0; }
    echo "load before: $(uptime | sed 's/.*load average: //')"
    ours=$("$bin" bench --arch "$arch" --init "$init" $small --repeats 1 --json)
    theirs=$(python3 "Benchmarks/${arch}_numpy.py" $small --repeats 1)
    python3 - "$ours" "$theirs" "$arch" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1])["check"], json.loads(sys.argv[2])["check"]
worst = 0.0
for key in ("stream_growth_per_block", "gradient_growth_per_block"):
    a, b = ours[key], theirs[key]
    worst = max(worst, abs(a / b - 1))
    print(f"{key}: initscope {a:.5f}  numpy {b:.5f}  ({100 * (a / b - 1):+.2f}%)")
if worst > 0.02:
    sys.exit(f"{sys.argv[3]}: growth ratios differ by more than 2%")
PY
    ours=$("$bin" bench --arch "$arch" --init "$init" $large --repeats "$repeats" --json)
    theirs=$(python3 "Benchmarks/${arch}_numpy.py" $large --repeats "$repeats")
    single=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 "Benchmarks/${arch}_numpy.py" $large --repeats "$repeats")
    python3 - "$ours" "$theirs" "$single" "$label" <<'PY'
import json, sys
ours, theirs, single = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
a, b, c = ours["median"]["total"], theirs["median"]["total"], single["median"]["total"]
print(f"{sys.argv[4]}: initscope {a:.3f} s (pass / GEMMs alone {ours['pass_over_gemm']:.2f}, "
      f"other load {ours.get('other_load', float('nan')):.2f} cores), numpy {b:.3f} s (default threads), "
      f"{c:.3f} s (1 thread): numpy / initscope = {b / a:.2f}x, 1 thread {c / a:.2f}x (goal >= 1.5)")
PY
    echo "load after: $(uptime | sed 's/.*load average: //')"
}
