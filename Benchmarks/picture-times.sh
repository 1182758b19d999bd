#!/usr/bin/env bash
# Time to a complete picture in the live view, from outside under tmux: start to the complete default picture
# (tanh; xavier, he, lsuv; L=50, n=512, B=256), then key to complete picture for a (next activation), o (add
# orthogonal) and + (deeper), at 80x24 and 200x60, animated (default sweep) and with --no-animation. "Complete" =
# the header says "done" (every row computed and swept in) on a screen showing the key's change. Also prints the
# engine's own compute time of each run (--stats-file engine_run_ms) and the machine's load average.
# Usage: bash Benchmarks/picture-times.sh BINARY [REPEATS]
set -u
BINARY="${1:?usage: picture-times.sh BINARY [REPEATS]}"
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
REPEATS="${2:-1}"
# tmux server, work dir, UTF-8 locale, T, cleanup and now_ms: the end-to-end scripts' own set-up.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../Tests/EndToEnd/tmux_common.sh" pictures
capture() { T capture-pane -p -t pic 2>/dev/null; }
# wait_complete MARKER START_MS TIMEOUT_MS: ms until the header ends with "done" and the screen matches MARKER.
source "$(dirname "$0")/../Tests/EndToEnd/wait_complete.sh"
timed_key() { local started; started=$(now_ms); T send-keys -t pic -- "$1"; wait_complete "$2" "$started" 120000; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-14s %8s %8s %8s %8s   %s\n' size mode start a o + "engine ms per run (start, a, o, +)"
for size in 80x24 200x60; do
    for mode in animated --no-animation; do
        for _ in $(seq "$REPEATS"); do
            args=""; [ "$mode" = animated ] || args="$mode"
            rm -f "$WORK/stats" "$WORK/status"
            started=$(now_ms)
            T new-session -d -s pic -x "${size%x*}" -y "${size#*x}" \
                "env TERM=xterm-256color LANG=$UTF8_LOCALE OPENBLAS_NUM_THREADS=2 '$BINARY' $args --stats-file '$WORK/stats'; echo \$? > '$WORK/status'; sleep 60"
            start_ms=$(wait_complete '^▶xavier ' "$started" 120000)
            a_ms=$(timed_key a '^initscope +relu ')
            o_ms=$(timed_key o '^▶orthogonal ')
            plus_ms=$(timed_key + 'L=75 ')
            T send-keys -t pic q
            for _ in $(seq 50); do [ -s "$WORK/status" ] && break; sleep 0.1; done
            engine=$(awk '/^engine_run_ms/ { print $2 }' "$WORK/stats" 2>/dev/null)
            printf '%-8s %-14s %8s %8s %8s %8s   %s\n' "$size" "$mode" "$start_ms" "$a_ms" "$o_ms" "$plus_ms" "$engine"
            T kill-session -t pic >/dev/null 2>&1
        done
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
