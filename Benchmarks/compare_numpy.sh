#!/usr/bin/env bash
# What Benchmarks/resnet.sh and Benchmarks/transformer.sh share (sourced by both): `initscope bench --arch ARCH`
# against Benchmarks/ARCH_numpy.py (independent NumPy code of the same workload). First both on a small
# configuration, whose layer-averaged growth per block of the stream's second moment and of its gradient must agree
# within 2%; then, on the large one, ROUNDS rounds (default 3) of: initscope, NumPy with its default BLAS threads,
# NumPy pinned to 1 thread (OPENBLAS_NUM_THREADS=1: its threads collapse when other processes keep a core busy), each
# the median of REPEATS passes. The machine's speed drifts over tens of seconds, so each round's ratios compare runs
# seconds apart; prints every round, the median of the rounds' ratios, and the load average before and after.
# compare_with_numpy ARCH INIT "SMALL FLAGS" "LARGE FLAGS" LABEL BIN REPEATS
compare_with_numpy() {
    local arch=$1 init=$2 small=$3 large=$4 label=$5 bin=$6 repeats=$7 ours theirs single rounds=${ROUNDS:-3} round
    python3 -c 'import numpy' 2>/dev/null || { echo "$arch: NumPy is not installed; nothing to compare"; return 0; }
    local log; log=$(mktemp)
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
    for round in $(seq "$rounds"); do
        ours=$("$bin" bench --arch "$arch" --init "$init" $large --repeats "$repeats" --json)
        theirs=$(python3 "Benchmarks/${arch}_numpy.py" $large --repeats "$repeats")
        single=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 "Benchmarks/${arch}_numpy.py" $large --repeats "$repeats")
        printf '%s\t%s\t%s\n' "$ours" "$theirs" "$single" >> "$log"
    done
    python3 - "$log" "$label" <<'PY'
import json, statistics, sys
rounds = [[json.loads(part) for part in line.rstrip("\n").split("\t")] for line in open(sys.argv[1])]
ratios, single_ratios = [], []
for number, (ours, theirs, single) in enumerate(rounds, 1):
    a, b, c = ours["median"]["total"], theirs["median"]["total"], single["median"]["total"]
    ratios.append(b / a); single_ratios.append(c / a)
    print(f"{sys.argv[2]}, round {number}: initscope {a:.3f} s (pass / GEMMs alone {ours['pass_over_gemm']:.2f}, "
          f"other load {ours.get('other_load', float('nan')):.2f} cores), numpy {b:.3f} s (default threads), "
          f"{c:.3f} s (1 thread): numpy / initscope = {b / a:.2f}x, 1 thread {c / a:.2f}x")
print(f"{sys.argv[2]}: median of {len(rounds)} rounds: numpy / initscope = {statistics.median(ratios):.2f}x "
      f"(rounds {min(ratios):.2f}-{max(ratios):.2f}), 1 thread {statistics.median(single_ratios):.2f}x (goal >= 1.5)")
PY
    rm -f "$log"
    echo "load after: $(uptime | sed 's/.*load average: //')"
}
