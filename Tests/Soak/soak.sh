#!/usr/bin/env bash
# Soak test of the live view under tmux: random keys at random 5-300 ms intervals for SOAK_SECONDS (default 600).
# Keys: every key bound in Sources/ScopeUI/Keys/Command.swift (Tests/Soak/keys.txt, kept in step with the table by
# SoakKeyTableTests), random bytes, control keys, escape sequences split at 5-1200 ms, and pushes to huge scenarios
# (depth, width, batch stepped far up). Between them, a focus key (j: moves the focus marker, no engine run) is timed
# from send-keys to the changed screen.
# Passes when: the program never ends; keys are answered within SOAK_LATENCY_MS (default 50 ms): every key from read
# to frame (the program's --stats-file) and every timed focus key from send-keys to the moved marker (tmux poll);
# RSS stays within the memory guard min(8 GiB, 60% of RAM); the heap in use back at the default scenario after the
# soak is within 20% of the heap in use after warm-up (default scenario with every initializer key pressed once,
# then a rerun). The heap in use (glibc's malloc_stats, "Total (incl. mmap)", read with gdb) is what the program
# holds; RSS is reported beside it but not bounded, because the residue above warm-up is OpenBLAS's: measured
# 2026-12-01 with SOAK_DIAG=1 (seed 20502, 120 s): RSS 117 -> 149 MiB with the heap in use 92.0 -> 91.8 MiB; the
# 32 MiB were two new 128 MiB anonymous mappings (16.4 MiB resident each) that gdb shows come from
# blas_memory_alloc in cblas_sgemm: OpenBLAS's packing buffer of each thread that called a wide GEMM, kept (and
# reused) until exit, resident up to its blocking size. Bounded per engine thread, not ours to free.
# Why 20% holds for the heap: the end compares like with like. Initializer keys only add rows, so warm-up and end
# show the same seven initializers, sizes and activation; what may differ (seed, theme, histogram scale, focus,
# layer) sizes no buffer. glibc's malloc thresholds are fixed at start (FreedMemory.fixThresholds): before that, a
# wide run left up to 64 MiB of free top per thread arena resident, which malloc_trim cannot return.
# Never sent: q and Ctrl-C (they quit by design), Ctrl-\ and Ctrl-Z (SIGQUIT, SIGTSTP by design), Ctrl-S/Ctrl-Q
# (terminal flow control stops all output by design).
# Usage: bash Tests/Soak/soak.sh BINARY    Environment: SOAK_SECONDS, SOAK_SEED (replays a run), SOAK_LATENCY_MS,
#        SOAK_OUTSIDE_LATENCY=0 (a loaded machine: report the tmux-timed latency without failing on it; the in-loop
#        figure still counts), SOAK_LOG (every key sent, with times and RSS; default /tmp/initscope-soak-SEED.log),
#        SOAK_DIAG=1 (the screen, the RSS split, glibc's arena figures and RSS after malloc_trim, at warm-up and end,
#        into the log). Needs gdb (the heap in use is read from the running program).
set -u
BINARY="${1:?usage: soak.sh BINARY}"
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
[ -x "$BINARY" ] || { echo "soak: $BINARY is not executable"; exit 2; }
command -v tmux >/dev/null || { echo "soak: tmux is not installed"; exit 2; }
command -v gdb >/dev/null || { echo "soak: gdb is not installed (it reads the program's heap in use)"; exit 2; }
DURATION="${SOAK_SECONDS:-600}"
SEED="${SOAK_SEED:-$(( $(date +%s) % 32768 ))}"
LATENCY_LIMIT_MS="${SOAK_LATENCY_MS:-50}"
LOG="${SOAK_LOG:-/tmp/initscope-soak-$SEED.log}"
HERE="$(cd "$(dirname "$0")" && pwd)"
RANDOM=$SEED
# tmux server (initscope-soak-PID), work dir, UTF-8 locale, T, cleanup and now_ms: the end-to-end scripts' own set-up.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../EndToEnd/tmux_common.sh" soak
START_MS=$(now_ms)
log() { echo "$(( $(now_ms) - START_MS )) $*" >> "$LOG"; }
: > "$LOG"

# Bound keys in tmux send-keys names (one per line, # comments), and the byte values never sent.
mapfile -t BOUND < <(grep -v -E '^(#|$)' "$HERE/keys.txt")
FORBIDDEN_BYTES=" 3 17 19 26 28 113 "   # Ctrl-C, Ctrl-Q, Ctrl-S, Ctrl-Z, Ctrl-\, q
CONTROL_KEYS=(C-a C-b C-d C-e C-f C-g C-h C-k C-l C-n C-o C-p C-r C-t C-u C-v C-w C-x C-y C-] C-^ C-_ Enter BSpace
              F1 F5 F12 PgUp PgDn IC DC)
SEQUENCE_TAILS=("[A" "[B" "[C" "[D" "OA" "OB" "[H" "[F" "[1;5C" "[1;2A" "[5~" "[200~" "[I" "[O" "O" "[" "[1;" "[<0;5;5M")

# The default scenario the soak returns to at the end (the live view's defaults).
DEFAULT_ACTIVATION=tanh; DEFAULT_DEPTH=50; DEFAULT_WIDTH=512; DEFAULT_BATCH=256
MEM_TOTAL_KB=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
GUARD_KB=$(( MEM_TOTAL_KB * 6 / 10 )); [ "$GUARD_KB" -gt $(( 8 * 1024 * 1024 )) ] && GUARD_KB=$(( 8 * 1024 * 1024 ))

# The program runs in $WORK with core dumps on (kernel.core_pattern permitting): a crash leaves a core there, and the
# soak prints the crashed thread's backtrace from it (gdb) beside the program's last stderr lines.
T new-session -d -s soak -x 120 -y 40 \
    "cd '$WORK' && ulimit -c unlimited; env TERM=xterm-256color LANG=$UTF8_LOCALE '$BINARY' --stats-file '$WORK/stats' 2>'$WORK/stderr'; echo \$? > '$WORK/status'; sleep 600"
screen() { T capture-pane -p -t soak 2>/dev/null; }
header() { screen | head -1; }
ended() { [ -s "$WORK/status" ]; }
PID=""
for _ in $(seq 100); do
    PID=$(pgrep -n -f "^$BINARY" -P "$(T display-message -p -t soak '#{pane_pid}')" 2>/dev/null) && break; sleep 0.05
done
[ -n "$PID" ] || { echo "soak: the binary did not start"; cat "$WORK/stderr" 2>/dev/null; exit 1; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$PID/status" 2>/dev/null || echo 0; }
mib() { echo "$(( $1 / 1024 )) MiB"; }
# heap_kb: glibc's heap in use of the program in KiB (malloc_stats' "Total (incl. mmap)" "in use bytes", which it
# prints on the program's stderr; gdb calls it), empty when it could not be read.
heap_kb() {
    cp "$WORK/stderr" "$WORK/stderr.heap"
    gdb -p "$PID" -batch -ex 'call (void)malloc_stats()' >/dev/null 2>&1
    diff "$WORK/stderr.heap" "$WORK/stderr" | sed -n 's/^> //p' \
        | awk '/^Total \(incl. mmap\)/ { total = 1 } total && /in use bytes/ { print int($NF / 1024); exit }'
}
# diag LABEL: with SOAK_DIAG=1, the screen, the RSS split and glibc's arena figures (gdb) into the log.
diag() {
    [ "${SOAK_DIAG:-0}" = 1 ] || return 0
    { echo "== $1: screen"; screen; echo "== $1: smaps_rollup"; grep -E '^(Rss|Anonymous|Pss_Anon|Pss_File)' "/proc/$PID/smaps_rollup"
      echo "== $1: threads $(ls /proc/$PID/task | wc -l)"; echo "== $1: mappings with Rss >= 1 MiB"
      awk '/^[0-9a-f]+-[0-9a-f]+ / { map = $0 } /^Rss:/ && $2 >= 1024 { print $2 " kB  " map }' "/proc/$PID/smaps"
    } >> "$LOG"
    : > "$WORK/stderr.before"; cp "$WORK/stderr" "$WORK/stderr.before"
    gdb -p "$PID" -batch -ex 'call (void)malloc_stats()' >/dev/null 2>&1
    { echo "== $1: malloc_stats"; diff "$WORK/stderr.before" "$WORK/stderr" | sed -n 's/^> //p' | tail -40; } >> "$LOG"
    gdb -p "$PID" -batch -ex 'call (int)malloc_trim(0)' >/dev/null 2>&1
    echo "== $1: RSS after malloc_trim(0) $(rss_kb) kB" >> "$LOG"
}

# wait_done SECONDS: true once the header says the runs are done (help closed, not paused).
wait_done() {
    local deadline=$((SECONDS + $1))
    while [ $SECONDS -le $deadline ]; do
        ended && return 1
        header | grep -Eq 'done *$' && return 0
        sleep 0.2
    done
    return 1
}
send() { log "key $*"; T send-keys -t soak -- "$@"; KEYS=$((KEYS + 1)); }
send_hex() { log "hex $*"; T send-keys -t soak -H "$@"; KEYS=$((KEYS + 1)); }
help_open() { screen | grep -q 'this help'; }
# The name in the focused row (after the ▶ marker at the start of a line), with bash's own regex: few forks.
FOCUS_PATTERN=$'(^|\n)▶([^ ]*)'
focused_name() { local text; text="$(screen)"; [[ "$text" =~ $FOCUS_PATTERN ]] && echo "${BASH_REMATCH[2]}"; }
pause_ms() { sleep "$(printf '0.%03d' "$1")"; }

KEYS=0; PROBES=0; WORST_MS=0; LATENCIES=(); FAILURES=()
# probe: press j (focus next row) and time the moved focus marker: from just before send-keys to the start of the
# first capture that shows it (resolution: one capture-pane call, a few ms on a quiet machine).
probe() {
    help_open && return
    local before after started polled elapsed
    before="$(focused_name)"; [ -n "$before" ] || return
    started=$(now_ms); send j
    while :; do
        polled=$(now_ms); after="$(focused_name)"; elapsed=$(( polled - started ))
        [ -n "$after" ] && [ "$after" != "$before" ] && break
        [ "$elapsed" -gt 2000 ] && break
    done
    # A screen redrawn by other keys in between could hide the change: only a moved marker counts.
    [ -n "$after" ] && [ "$after" != "$before" ] || { log "probe: no change within 2 s (before $before)"; return; }
    PROBES=$((PROBES + 1)); LATENCIES+=("$elapsed"); log "probe $elapsed ms"
    [ "$elapsed" -gt "$WORST_MS" ] && WORST_MS=$elapsed
}

# 1. Warm-up: the default scenario, every initializer key once, then a rerun.
wait_done 60 || { echo "soak: no finished first run within 60 s"; screen; exit 1; }
for key in o n N d x h l; do send "$key"; sleep 0.3; done
wait_done 120 && send r && wait_done 120 || { echo "soak: warm-up runs did not finish"; screen; exit 1; }
sleep 2
WARM_KB=$(rss_kb); PEAK_KB=$WARM_KB
WARM_HEAP_KB=$(heap_kb)
[ -n "$WARM_HEAP_KB" ] || { echo "soak: could not read the heap in use with gdb (ptrace not permitted?)"; exit 2; }
diag warm-up
echo "soak: seed $SEED, ${DURATION} s, log $LOG; warm-up RSS $(mib "$WARM_KB"), heap in use $(mib "$WARM_HEAP_KB") (default scenario, 7 initializers)"

# 2. Random keys.
END=$((SECONDS + DURATION)); NEXT_PROBE=$SECONDS
while [ $SECONDS -lt "$END" ] && ! ended; do
    choice=$((RANDOM % 100))
    if [ "$choice" -lt 55 ]; then
        send "${BOUND[RANDOM % ${#BOUND[@]}]}"
    elif [ "$choice" -lt 67 ]; then
        bytes=()
        for _ in $(seq $((1 + RANDOM % 6))); do
            b=$((RANDOM % 256)); [[ "$FORBIDDEN_BYTES" == *" $b "* ]] && b=32
            bytes+=("$(printf '%02x' "$b")")
        done
        send_hex "${bytes[@]}"
    elif [ "$choice" -lt 77 ]; then
        key="${CONTROL_KEYS[RANDOM % ${#CONTROL_KEYS[@]}]}"
        send "$key"; [ "$key" = C-l ] && { send C-l; send C-l; }   # three in a row ended the program once
    elif [ "$choice" -lt 90 ]; then
        # An escape sequence split across a slow link: ESC, a 5-1200 ms gap, then the rest.
        send_hex 1b; pause_ms $(( 5 + RANDOM % 995 )); [ $((RANDOM % 4)) -eq 0 ] && sleep 0.2
        T send-keys -t soak -l "${SEQUENCE_TAILS[RANDOM % ${#SEQUENCE_TAILS[@]}]}"; log "tail"
    elif [ "$choice" -lt 95 ]; then
        # A huge scenario: one size pushed far up.
        key=$(echo "+ ] b" | cut -d' ' -f$((1 + RANDOM % 3)))
        for _ in $(seq $((3 + RANDOM % 8))); do send "$key"; pause_ms $((5 + RANDOM % 60)); done
    else
        send Escape   # closes the help; never quits
    fi
    rss=$(rss_kb); log "rss $rss"; [ "${rss:-0}" -gt "$PEAK_KB" ] && PEAK_KB=$rss
    if [ "${rss:-0}" -gt "$GUARD_KB" ]; then FAILURES+=("RSS $(mib "$rss") over the memory guard $(mib "$GUARD_KB")"); break; fi
    if [ $SECONDS -ge "$NEXT_PROBE" ]; then sleep 0.1; probe; NEXT_PROBE=$((SECONDS + 1 + RANDOM % 3)); fi
    pause_ms $((5 + RANDOM % 296))
done

# crash_report: the program's stderr without the malloc_stats lines gdb asked for (the last 1,500 bytes), the crash
# log it named, and the backtraces from a core dump (crashed thread first) if one was written.
crash_report() {
    grep -v -E '^(Arena [0-9]+:|system bytes|in use bytes|Total \(incl\. mmap\):|max mmap (regions|bytes))' "$WORK/stderr" \
        | tail -c 1500
    local crash_log; crash_log=$(grep -Eo 'backtrace in [^ ]+' "$WORK/stderr" | tail -1 | cut -d' ' -f3)
    [ -n "$crash_log" ] && [ -f "$crash_log" ] && { echo "--- $crash_log"; head -c 3000 "$crash_log"; }
    local core; core=$(ls -t "$WORK"/core* 2>/dev/null | head -1)
    if [ -n "$core" ]; then
        echo "--- backtrace from $core"
        gdb -batch -ex 'bt 40' -ex 'info threads' -ex 'thread apply all bt 12' "$BINARY" "$core" 2>/dev/null \
            | grep -v -E '^\[(New LWP|Thread debugging|Using host)' | head -200
        rm -f "$core"
    else
        echo "--- no core dump (kernel.core_pattern: $(cat /proc/sys/kernel/core_pattern 2>/dev/null))"
    fi
}

if ended; then
    FAILURES+=("the program ended with status $(cat "$WORK/status") after $KEYS keys: $(crash_report)")
else
    # 3. Back to the default scenario: read the header, step each parameter home.
    RETURNED=0
    for _ in $(seq 200); do
        ended && break
        if help_open; then send "?"; sleep 0.3; continue; fi
        h="$(header)"
        echo "$h" | grep -q ' paused' && { send Space; sleep 0.2; continue; }
        activation=$(echo "$h" | awk '{ print $2 }')
        # m switched to another network (its name comes first): m again until the MLP's activation shows.
        case "$activation" in resnet|transformer) send m; sleep 0.3; continue ;; esac
        depth=$(echo "$h" | grep -Eo 'L=[0-9]+' | cut -c3-); width=$(echo "$h" | grep -Eo 'n=[0-9]+' | cut -c3-)
        batch=$(echo "$h" | grep -Eo 'B=[0-9]+' | cut -c3-)
        [ -n "$depth" ] && [ -n "$width" ] && [ -n "$batch" ] || { sleep 0.3; continue; }
        # What shrinks the run goes first: growing one size while another is still far up can be refused for memory
        # (n=256 -> 512 at B=65536 needs 13 GiB; seed 16507 pressed ] 200 times in vain).
        if   [ "$depth" -gt $DEFAULT_DEPTH ]; then send -
        elif [ "$width" -gt $DEFAULT_WIDTH ]; then send "["
        elif [ "$batch" -gt $DEFAULT_BATCH ]; then send B
        elif [ "$depth" -lt $DEFAULT_DEPTH ]; then send +
        elif [ "$width" -lt $DEFAULT_WIDTH ]; then send "]"
        elif [ "$batch" -lt $DEFAULT_BATCH ]; then send b
        elif [ "$activation" != $DEFAULT_ACTIVATION ]; then send a
        else RETURNED=1; break
        fi
        sleep 0.3
    done
    if ended; then
        FAILURES+=("the program ended with status $(cat "$WORK/status") while stepping back to the default scenario: $(crash_report)")
    elif [ "$RETURNED" != 1 ]; then
        FAILURES+=("could not step back to the default scenario: $(header)")
    elif wait_done 300; then
        sleep 3
        END_KB=$(rss_kb); HWM_KB=$(hwm_kb); [ "$HWM_KB" -gt "$PEAK_KB" ] && PEAK_KB=$HWM_KB
        END_HEAP_KB=$(heap_kb)
        diag end
        if [ -z "$END_HEAP_KB" ]; then
            FAILURES+=("could not read the heap in use at the end")
        elif [ $(( END_HEAP_KB * 10 )) -gt $(( WARM_HEAP_KB * 12 )) ]; then
            FAILURES+=("heap in use back at the default scenario $(mib "$END_HEAP_KB") is more than 20% above warm-up $(mib "$WARM_HEAP_KB")")
        fi
    else
        FAILURES+=("could not return to the default scenario and finish its runs: $(header)")
    fi
    [ "$PEAK_KB" -le "$GUARD_KB" ] || FAILURES+=("peak RSS $(mib "$PEAK_KB") over the memory guard $(mib "$GUARD_KB")")
    if ! ended; then
        T send-keys -t soak q
        for _ in $(seq 100); do ended && break; sleep 0.1; done
        status=$(cat "$WORK/status" 2>/dev/null)
        [ "$status" = 0 ] || FAILURES+=("q did not end the program with status 0 (status '${status}'): $(crash_report)")
    fi
fi

sorted=$(printf '%s\n' "${LATENCIES[@]:-0}" | sort -n)
median=$(echo "$sorted" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
stat() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/stats" 2>/dev/null; }
# Latency: the program's own figure (key read to frame drawn, every key, --stats-file) must stay within the limit;
# the focus keys timed from outside must too, unless the machine is so loaded that tmux itself is slow
# (SOAK_OUTSIDE_LATENCY=0 reports the outside figure without failing on it).
loop_max_us=$(stat key_to_frame_us_max)
if [ -n "$loop_max_us" ] && [ "$loop_max_us" -gt $(( LATENCY_LIMIT_MS * 1000 )) ]; then
    FAILURES+=("a key took $(( loop_max_us / 1000 )) ms from read to frame (in-loop), over $LATENCY_LIMIT_MS ms")
fi
if [ "${SOAK_OUTSIDE_LATENCY:-1}" = 1 ] && [ "$WORST_MS" -gt "$LATENCY_LIMIT_MS" ]; then
    FAILURES+=("worst focus-key latency $WORST_MS ms (tmux poll) over $LATENCY_LIMIT_MS ms")
fi
[ "$PROBES" -gt 0 ] || FAILURES+=("no focus key could be timed")
echo "soak: $KEYS keys sent in $(( ($(now_ms) - START_MS) / 1000 )) s; focus keys timed $PROBES, latency median $median ms, worst $WORST_MS ms (tmux poll);" \
     "in-loop key to frame median $(stat key_to_frame_us_median) us, max $(stat key_to_frame_us_max) us over $(stat keys) keys"
echo "soak: slowest key (us): $(awk '$1 == "key_to_frame_slowest" { $1 = ""; print substr($0, 2) }' "$WORK/stats" 2>/dev/null); loop busy at most (us): $(awk '$1 == "loop_busy_us_max" { $1 = ""; print substr($0, 2) }' "$WORK/stats" 2>/dev/null)"
# Where the longest stretch fell among the keys sent (its end, on the log's clock: ms since the soak started).
busy_end=$(grep -Eo 'at_unix_ms=[0-9]+' "$WORK/stats" 2>/dev/null | cut -d= -f2)
if [ -n "$busy_end" ]; then
    offset=$(( busy_end - START_MS ))
    echo "soak: the longest stretch ended $offset ms into the soak (log clock), after:" \
         "$(awk -v t="$offset" '$1 <= t && ($2 == "key" || $2 == "hex" || $2 == "tail") { last = last " | " $0 } END { print last }' "$LOG" \
            | awk -F' [|] ' '{ n = NF; s = ""; for (i = (n > 4 ? n - 3 : 2); i <= n; i++) s = s (s == "" ? "" : "; ") $i; print s }')"
fi
echo "soak: RSS warm-up $(mib "$WARM_KB"), peak $(mib "$PEAK_KB") (guard $(mib "$GUARD_KB")), end ${END_KB:+$(mib "$END_KB")};" \
     "heap in use warm-up $(mib "$WARM_HEAP_KB"), end ${END_HEAP_KB:+$(mib "$END_HEAP_KB")}"
if [ ${#FAILURES[@]} -gt 0 ]; then
    printf 'soak: FAIL %s\n' "${FAILURES[@]}"
    echo "soak: last keys (ms since start):"; tail -15 "$LOG" | sed 's/^/     | /'
    echo "soak: replay with SOAK_SEED=$SEED"
    exit 1
fi
echo "soak: passed"
