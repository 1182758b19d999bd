#!/usr/bin/env bash
# Runs `initscope bench` (the engine's own pass, plan "reference": histograms of x, dL/dh and dW like the
# reference, plus the statistics of h and W every run has) and the NumPy reference (../shared/bench) one after the
# other on the two standard configurations and prints the ratios: pass / its GEMMs alone (measured in the same
# bench run) and NumPy / initscope. Usage: bash Benchmarks/run.sh [path/to/initscope] [repeats]
# Compare only runs made on a quiet machine: each side prints how many cores other processes used. NumPy runs
# twice: with the machine's OpenBLAS settings as initscope has them, and with its own kernel choice.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build-shipped/release/initscope}
REPEATS=${2:-5}
REFERENCE_DIR=../shared/bench
THREADS=${BENCH_THREADS:-2}

if [[ ! -x "$BIN" ]]; then
    echo "initscope binary not found at $BIN (run: make build)" >&2
    exit 1
fi
have_reference=1
if [[ ! -f "$REFERENCE_DIR/reference_numpy.py" ]]; then
    echo "NumPy reference not found at $REFERENCE_DIR/reference_numpy.py: running initscope bench alone"
    have_reference=0
fi

# config: name depth width batch activation
configs=("a 50 512 256 tanh" "b 1000 256 128 tanh")
summary=()
for config in "${configs[@]}"; do
    read -r name depth width batch activation <<<"$config"
    echo "== config $name: L=$depth n=$width B=$batch $activation, $REPEATS repeats, $THREADS BLAS threads"
    ours=$("$BIN" bench --depth "$depth" --width "$width" --batch "$batch" --activation "$activation" \
           --repeats "$REPEATS" --threads "$THREADS" --json)
    echo "initscope: $ours"
    if (( have_reference )); then
        theirs=$(cd "$REFERENCE_DIR" && OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS \
                 python3 reference_numpy.py --depth "$depth" --width "$width" --batch "$batch" \
                 --activation "$activation" --repeats "$REPEATS" | sed -n 's/^JSON //p')
        echo "numpy:     $theirs"
        # NumPy with its own OpenBLAS kernel choice: some machines set OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE for
        # older OpenBLAS builds (initscope's Debian one keeps them); NumPy's newer OpenBLAS does not need them.
        native=$(cd "$REFERENCE_DIR" && env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$THREADS \
                 OMP_NUM_THREADS=$THREADS python3 reference_numpy.py --depth "$depth" --width "$width" \
                 --batch "$batch" --activation "$activation" --repeats "$REPEATS" | sed -n 's/^JSON //p')
        echo "numpy, own kernel choice: $native"
        summary+=("$(python3 - "$name" "$ours" "$theirs" "$native" <<'PY'
import json, sys
name, ours, theirs, native = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
o, t, n = ours["median"], theirs["median"], native["median"]
print(f"config {name}: initscope pass {o['total']:.4f} s, its GEMMs alone {o['gemm alone']:.4f} s -> pass / GEMM = "
      f"{ours['pass_over_gemm']:.3f} (goal <= 1.25); numpy {t['total']:.4f} s -> numpy/initscope = "
      f"{t['total'] / o['total']:.2f}x (goal >= 2); phases numpy/initscope: init {t['init']/o['init']:.2f}x "
      f"forward+backward {(t['forward'] + t['backward'])/o['fwd+bwd']:.2f}x stats {t['stats']/o['stats']:.2f}x; "
      f"other load {ours['other_load']:.2f} / {theirs['other_load']:.2f} cores; "
      f"peak RSS {ours['peak_rss_mib']:.0f} / {theirs['peak_rss_mib']:.0f} MiB")
print(f"config {name}, NumPy with its own kernel choice (OPENBLAS_CORETYPE/L2_SIZE unset for it alone): numpy {n['total']:.4f} s "
      f"-> numpy/initscope = {n['total'] / o['total']:.2f}x")
PY
)")
    fi
done
echo
echo "== summary"
for line in "${summary[@]}"; do echo "$line"; done
