#!/usr/bin/env bash
# make sanitize: the unit tests under ThreadSanitizer (.build-tsan) and AddressSanitizer (.build-asan), then the
# end-to-end tests once against the ASan build of the binary. Full builds: run it once, late, on a quiet machine.
# TSan: the engine's pool runs with 2 threads (OPENBLAS_NUM_THREADS=2 sizes it) so its handoffs are exercised;
# suppressions with their reasons are in scripts/tsan-suppressions.txt. ASan: reports go to files
# (.build-asan/reports/asan.*), which must stay empty; crash handlers stay the program's own (handle_segv=0 ...), as
# the end-to-end crash tests check the terminal is restored by them. Prints one line per stage; exits 1 on a finding.
set -u
cd "$(dirname "$0")/.."
ROOT="$PWD"
FLAGS=(-c release -Xswiftc -enable-testing)
status=0
stage() { echo "sanitize: $*"; }

mkdir -p .build-tsan .build-asan
# 1. ThreadSanitizer.
export TSAN_OPTIONS="suppressions=$ROOT/scripts/tsan-suppressions.txt:halt_on_error=0:second_deadlock_stack=1"
OPENBLAS_NUM_THREADS=2 swift test "${FLAGS[@]}" --sanitize=thread --scratch-path .build-tsan > .build-tsan/sanitize.log 2>&1
code=$?
races=$(grep -c 'WARNING: ThreadSanitizer' .build-tsan/sanitize.log)
stage "ThreadSanitizer unit tests: exit $code, $races reports ($(grep -Eo 'Test run with [0-9]+ tests.*' .build-tsan/sanitize.log | tail -1)); log .build-tsan/sanitize.log"
if [ "$code" -ne 0 ] || [ "$races" -gt 0 ]; then
    status=1; grep -A12 'WARNING: ThreadSanitizer' .build-tsan/sanitize.log | head -60
fi

# 2. AddressSanitizer (with LeakSanitizer at exit; third-party leaks suppressed: scripts/lsan-suppressions.txt).
REPORTS="$ROOT/.build-asan/reports"
mkdir -p "$REPORTS"; rm -f "$REPORTS"/asan.*
export LSAN_OPTIONS="suppressions=$ROOT/scripts/lsan-suppressions.txt:print_suppressions=0"
export ASAN_OPTIONS="log_path=$REPORTS/asan:handle_segv=0:handle_abort=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allocator_may_return_null=1"
OPENBLAS_NUM_THREADS=2 swift test "${FLAGS[@]}" --sanitize=address --scratch-path .build-asan > .build-asan/sanitize.log 2>&1
code=$?
stage "AddressSanitizer unit tests: exit $code, $(ls "$REPORTS" | wc -l) reports ($(grep -Eo 'Test run with [0-9]+ tests.*' .build-asan/sanitize.log | tail -1)); log .build-asan/sanitize.log"
[ "$code" -eq 0 ] && [ -z "$(ls "$REPORTS")" ] || status=1

# 3. The end-to-end tests against the ASan binary.
swift build "${FLAGS[@]}" --sanitize=address --scratch-path .build-asan --product initscope > .build-asan/e2e.log 2>&1 \
    || { stage "ASan build of the binary failed (.build-asan/e2e.log)"; exit 1; }
BIN=.build-asan/release/initscope
before=$(ls "$REPORTS" | wc -l)
bash Tests/EndToEnd/run.sh "$BIN" >> .build-asan/e2e.log 2>&1; e2e=$?
bash Tests/EndToEnd/themes.sh "$BIN" >> .build-asan/e2e.log 2>&1; themes=$?
stage "end-to-end on the ASan binary: run.sh exit $e2e ($(grep -E '[0-9]+ passed' .build-asan/e2e.log | head -1)), themes.sh exit $themes ($(grep -E '[0-9]+ passed' .build-asan/e2e.log | tail -1)), $(( $(ls "$REPORTS" | wc -l) - before )) ASan reports; log .build-asan/e2e.log"
[ "$e2e" -eq 0 ] && [ "$themes" -eq 0 ] || { status=1; grep -E '^FAIL' -A4 .build-asan/e2e.log | head -40; }
for report in "$REPORTS"/asan.*; do
    [ -e "$report" ] || continue
    status=1; echo "--- $report"; grep -E 'ERROR|SUMMARY|^    #[0-9] ' "$report" | head -12
done
[ $status -eq 0 ] && stage "clean" || stage "FINDINGS (see above)"
exit $status
