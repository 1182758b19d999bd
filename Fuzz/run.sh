#!/usr/bin/env bash
# Builds the fuzz targets (Fuzz/Package.swift) with libFuzzer and AddressSanitizer into .build-fuzz, then runs each
# for FUZZ_SECONDS (default 120) from its checked-in seed corpus Fuzz/Corpus/<target>/ (new inputs go to
# .build-fuzz/corpus/<target>/, findings to .build-fuzz/findings/<target>/).
# Usage: bash Fuzz/run.sh [TARGET...]     (default: every target of `make fuzz`)
#        FUZZ_EXPLORE=1 bash Fuzz/run.sh TOMLFuzzer   keeps going after crashes (fork mode) and collects them.
# Prints one line per target (executions, executions per second, corpus size, findings); exits 1 on any finding.
set -u
cd "$(dirname "$0")/.."
ROOT="$PWD"
SECONDS_EACH="${FUZZ_SECONDS:-120}"
SCRATCH="$ROOT/.build-fuzz"
TARGETS=("$@")
# Default: every fuzz target but TOMLFuzzer (raw toml++, which crashes by design: make fuzz-explore).
[ ${#TARGETS[@]} -eq 0 ] && mapfile -t TARGETS < <(ls Fuzz/Sources | grep -E 'Fuzzer$' | grep -vx TOMLFuzzer)
# KeyFuzzer needs the key decoder (Sources/Terminal/KeyDecoder.swift); Package.swift defines it only then.
if [ ! -f Sources/Terminal/KeyDecoder.swift ]; then
    mapfile -t TARGETS < <(printf '%s\n' "${TARGETS[@]}" | grep -vx KeyFuzzer)
    echo "fuzz: KeyFuzzer skipped (no Sources/Terminal/KeyDecoder.swift yet)"
fi
# Longest input per target (bytes): theme files are small; names and command lines are short.
max_len() { case "$1" in ThemeFuzzer|TOMLFuzzer|LectureFuzzer) echo 4096 ;; KeyFuzzer) echo 1024 ;; *) echo 256 ;; esac; }

# toml++'s assertions stay on (-UNDEBUG): they are what marks its undefined behaviour on malformed input.
# Coverage is asked for by name: SwiftPM's release build is whole-module, and swiftc -sanitize=fuzzer with
# -whole-module-optimization instruments no Swift code (measured 2026-11-30, Swift 6.3: KeyFuzzer and GrammarFuzzer
# found no new input in 120 s, "Is the code instrumented for coverage?"; ThemeFuzzer saw only toml++'s C++).
COVERAGE=(-Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table)
# SwiftPM does not rebuild the root package's modules when -Xswiftc flags change: start afresh when they did.
STAMP="$SCRATCH/fuzz-flags"
if [ "$(cat "$STAMP" 2>/dev/null)" != "${COVERAGE[*]}" ]; then
    rm -rf "$SCRATCH"/*-unknown-linux-gnu "$SCRATCH/release"; mkdir -p "$SCRATCH"; echo "${COVERAGE[*]}" > "$STAMP"
fi
echo "fuzz: building ${TARGETS[*]} (libFuzzer + AddressSanitizer, .build-fuzz)"
for target in "${TARGETS[@]}"; do
    (cd Fuzz && set -o pipefail && swift build -c release --scratch-path "$SCRATCH" --sanitize fuzzer --sanitize address \
        "${COVERAGE[@]}" -Xcc -UNDEBUG -Xcxx -UNDEBUG --product "$target" 2>&1 \
        | grep -E "error|warning: unre|Compiling|Build" | tail -3) \
        || { echo "fuzz: build of $target failed"; exit 2; }
done
BIN="$(cd Fuzz && swift build -c release --scratch-path "$SCRATCH" "${COVERAGE[@]}" --show-bin-path)"

# Leaks: libFuzzer's per-input check is off (TOMLKit leaks on every parse, and each check would scan the whole heap);
# LeakSanitizer still checks at exit, with TOMLKit's own leaks suppressed (Fuzz/lsan-suppressions.txt).
export LSAN_OPTIONS="suppressions=$ROOT/Fuzz/lsan-suppressions.txt:print_suppressions=0"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}allocator_may_return_null=0"
# Swift's backtracer would fight ASan for the crash; libFuzzer records crashes itself.
export SWIFT_BACKTRACE=enable=no
status=0
for target in "${TARGETS[@]}"; do
    [ -x "$BIN/$target" ] || { echo "fuzz: $BIN/$target was not built"; status=1; continue; }
    corpus="$SCRATCH/corpus/$target"; findings="$SCRATCH/findings/$target"; log="$SCRATCH/$target.log"
    mkdir -p "$corpus" "$findings" "Fuzz/Corpus/$target"
    options=(-max_total_time="$SECONDS_EACH" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=3072
             -artifact_prefix="$findings/" -print_final_stats=1 -detect_leaks=0)
    [ -f "Fuzz/Dictionaries/$target.dict" ] && options+=(-dict="Fuzz/Dictionaries/$target.dict")
    [ -n "${FUZZ_EXPLORE:-}" ] && options+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    before=$(ls "$findings" | wc -l)
    OPENBLAS_NUM_THREADS=1 "$BIN/$target" "${options[@]}" "$corpus" "Fuzz/Corpus/$target" >"$log" 2>&1
    code=$?
    found=$(( $(ls "$findings" | wc -l) - before ))
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
    rate=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
    if [ -z "$execs" ]; then  # fork mode prints its totals on the last status line
        execs=$(grep -Eo '#[0-9]+' "$log" | tail -1 | tr -d '#'); rate="$(( ${execs:-0} / SECONDS_EACH ))"
    fi
    units=$(ls "$corpus" | wc -l)
    printf 'fuzz: %-14s %10s executions in %ss (%s/s), corpus %s (+%s seeds), findings %s, exit %s\n' \
        "$target" "${execs:-?}" "$SECONDS_EACH" "${rate:-?}" "$units" "$(ls "Fuzz/Corpus/$target" | wc -l)" "$found" "$code"
    if grep -q 'Is the code instrumented for coverage' "$log"; then
        echo "      $target: no coverage feedback (the Swift code is not instrumented): blind fuzzing"; status=1
    fi
    if [ "$found" -gt 0 ] || [ "$code" -ne 0 ]; then
        status=1
        grep -m3 -E 'property violated|ERROR: |Fatal error|Assertion' "$log" | sed 's/^/      /'
        ls "$findings" | tail -5 | sed "s|^|      $findings/|"
    fi
done
exit $status
