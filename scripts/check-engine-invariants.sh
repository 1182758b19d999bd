#!/usr/bin/env bash
# The shipped engine is compiled with -Ounchecked, which drops `precondition` and `preconditionFailure` and lets the
# optimizer assume they hold: a shape check before a raw-pointer loop or a BLAS call would be gone from the binary
# users run. Fails, naming file and line, when SignalFlow's sources use either; `Invariant.require` and
# `Invariant.fail` (Sources/SignalFlow/Safety/Invariant.swift) are kept in every build.
# Usage: bash scripts/check-engine-invariants.sh     (run by `make unit`)
set -u
cd "$(dirname "$0")/.."
# Comment lines are skipped.
hits="$(grep -rnE '(^|[^A-Za-z_.])(precondition|preconditionFailure)\(' Sources/SignalFlow | grep -vE '^[^:]+:[0-9]+:\s*//')"
if [ -n "$hits" ]; then
    echo "check-engine-invariants: -Ounchecked drops these checks from the shipped engine; use Invariant.require / Invariant.fail:"
    echo "$hits" | sed 's/^/  /'
    exit 1
fi
echo "check-engine-invariants: SignalFlow's checks are Invariant.require / Invariant.fail ($(grep -rnE 'Invariant\.(require|fail)\(' Sources/SignalFlow | wc -l) of them), kept by -Ounchecked"
