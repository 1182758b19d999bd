#!/usr/bin/env bash
# Checks that `initscope report --arch mlp` (and plain `report`) prints byte for byte what a reference binary
# (built from main before the network-as-data change) prints, on a set of scenarios and every format.
# Usage: bash scripts/mlp-identity.sh BASE_BIN NEW_BIN   (exit 1 on the first difference)
set -u
base=${1:?reference binary}; new=${2:?binary under test}
cases=(
  "--depth 6 --width 32 --batch 16"
  "--activation tanh --init xavier,lsuv --depth 5 --width 24 --batch 8"
  "--activation gelu --init he,orthogonal,torch-default --depth 4 --width 20 --batch 12 --bias-std 0.1"
  "--activation leaky-relu:0.2 --init he-uniform:fan-out,lecun-truncated,normal:1 --depth 40 --width 16 --batch 8"
  "--activation selu --init lecun,uniform:0.3,zeros --depth 3 --width 8 --batch 4 --seed 123"
  "--activation sigmoid --init glorot-truncated,he-truncated,lsuv:0.05:3 --depth 7 --width 33 --batch 5"
  "--activation linear --init xavier-uniform:2,orthogonal:1 --depth 2 --width 64 --batch 64 --seed 0"
  "--activation relu --init normal:1 --depth 60 --width 64 --batch 8"
)
failed=0
for c in "${cases[@]}"; do
  for f in "--format table" "--format csv" "--format json" "--format csv --histograms" "--format json --histograms"; do
    for extra in "" "--arch mlp"; do
      # shellcheck disable=SC2086
      if ! cmp -s <(OPENBLAS_NUM_THREADS=2 "$base" report $c $f) <(OPENBLAS_NUM_THREADS=2 "$new" report $c $f $extra); then
        echo "DIFFERS: report $c $f $extra"; failed=1
      fi
    done
  done
done
# Thread count must not change the bits either.
c="--activation tanh --init xavier,he,lsuv --depth 8 --width 300 --batch 40"
if ! cmp -s <(OPENBLAS_NUM_THREADS=1 "$new" report $c --format json --arch mlp) <(OPENBLAS_NUM_THREADS=2 "$base" report $c --format json); then
  echo "DIFFERS across thread counts: $c"; failed=1
fi
# A resnet gives the same bits on 1 and 2 threads, with every normalization.
for norm in "none" "batch --norm-position post" "layer" "rms --norm-position post"; do
  c="--arch resnet --norm $norm --depth 5 --width 300 --batch 40 --activation gelu --init he,fixup,orthogonal --bias-std 0.1"
  if ! cmp -s <(OPENBLAS_NUM_THREADS=1 "$new" report $c --format json --histograms) <(OPENBLAS_NUM_THREADS=2 "$new" report $c --format json --histograms); then
    echo "DIFFERS across thread counts: $c"; failed=1
  fi
done
[ $failed = 0 ] && echo "mlp identity: every case byte-identical (and resnet runs thread-count independent)"
exit $failed
