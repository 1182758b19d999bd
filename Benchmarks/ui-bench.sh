#!/usr/bin/env bash
# UI benchmarks (figures, not tests), under tmux with the real binary:
#   start-up to first full frame (--no-animation), key press to changed screen, frame render time (measured inside
#   the run loop, --stats-file), and bytes written to the terminal per second (tmux pipe-pane) at 80x24 and 200x60,
#   animating and idle.
# Usage: bash Benchmarks/ui-bench.sh BINARY [live|terminal-check]   (default live: the standard configuration
#   L=50, n=512, B=256, three initializers). Keep runs short: the machine is shared.
set -u
BINARY="${1:?usage: ui-bench.sh BINARY [live|terminal-check]}"
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
PROFILE="${2:-live}"
# tmux server, work dir, UTF-8 locale, T, cleanup and now_ms: the end-to-end scripts' own set-up.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../Tests/EndToEnd/tmux_common.sh" bench
# The engine uses every core unless told otherwise (BENCH_THREADS=1 sets OPENBLAS_NUM_THREADS=1 for a loaded machine).
[ -n "${BENCH_THREADS:-}" ] && export OPENBLAS_NUM_THREADS="$BENCH_THREADS"

if [ "$PROFILE" = live ]; then
    ARGS="--activation tanh --init xavier,he,lsuv --depth 50 --width 512 --batch 256"
    READY='^.lsuv +[▁▂▃▄▅▆▇█]{12} +[^ ]+ +[^ ]+ +[0-9]+d +[▁▂▃▄▅▆▇█]{12}'   # last row, forward and backward, drawn (80 columns)
    ANIMATE_KEY=r                 # rerun: animates layer by layer
    CHANGE_KEY=Down               # focus the next initializer
else
    ARGS="terminal-check"
    READY='initscope terminal-check'
    ANIMATE_KEY=Space
    CHANGE_KEY=h
fi

# start NAME WIDTH HEIGHT EXTRA_ARGS: runs the binary in a tmux session of that size, output piped to NAME.bytes.
start() {
    T new-session -d -s "$1" -x "$2" -y "$3" \
        "env TERM=xterm-256color LANG=$UTF8_LOCALE '$BINARY' $ARGS $4 --stats-file '$WORK/$1.stats'; sleep 30"
    T pipe-pane -o -t "$1" "cat > '$WORK/$1.bytes'"
}
wait_ready() {
    local deadline=$(( $(now_ms) + ${2:-20000} ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
        T capture-pane -p -t "$1" | LC_ALL="$UTF8_LOCALE" grep -Eq -- "$READY" && return 0
        sleep 0.01
    done
    return 1
}
bytes() { stat -c %s "$WORK/$1.bytes" 2>/dev/null || echo 0; }
stat_value() { awk -v k="$2" '$1 == k { print $2 }' "$WORK/$1.stats" 2>/dev/null; }

echo "initscope UI benchmarks ($PROFILE), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$PROFILE" = live ]; then
    # For comparison: the same scenario computed without a screen (the engine's share of the start-up).
    started=$(now_ms); "$BINARY" report $ARGS --seed 1 >/dev/null 2>&1
    echo "engine alone (initscope report, same scenario): $(( $(now_ms) - started )) ms"
fi

# 1. Start-up to first full frame, animation off (median of 3).
times=()
for run in 1 2 3; do
    started=$(now_ms)
    T new-session -d -s "s$run" -x 80 -y 24 \
        "env TERM=xterm-256color LANG=$UTF8_LOCALE '$BINARY' $ARGS --no-animation --stats-file '$WORK/s$run.stats'; sleep 30"
    if [ "$PROFILE" = live ]; then
        # The first complete frame (all runs finished), measured inside the loop. Polling capture-pane here
        # would take CPU from the engine on a 2-core machine, so: wait, check the screen once, quit, read it.
        sleep 3
        wait_ready "s$run" 1000 >/dev/null || echo "warning: run $run: last row not drawn after 3 s"
        deadline=$(( $(now_ms) + 20000 ))
        T send-keys -t "s$run" q
        while [ -z "$(stat_value "s$run" first_complete_frame_ms)" ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.02; done
        outside=$(( $(stat_value "s$run" first_complete_frame_unix_ms) - started ))
        times+=("$outside ms from tmux new-session (process start, libraries, terminal, engine) / $(stat_value "s$run" first_complete_frame_ms) ms in-process (command start to frame)")
    else
        wait_ready "s$run" >/dev/null
        times+=("$(( $(now_ms) - started )) ms (tmux poll, 10 ms resolution)")
        T send-keys -t "s$run" q
    fi
    T kill-session -t "s$run"
done
printf 'start-up to first full frame (--no-animation): %s\n' "${times[@]}"

# 2-4. Per size: key press to changed screen, frame times, bytes per second idle and animating.
for size in 80x24 200x60; do
    width=${size%x*}; height=${size#*x}
    name="b$size"
    start "$name" "$width" "$height" ""
    wait_ready "$name" 40000 >/dev/null; sleep 1
    before=$(T capture-pane -p -t "$name")
    pressed=$(now_ms); T send-keys -t "$name" "$CHANGE_KEY"
    while [ "$(T capture-pane -p -t "$name")" = "$before" ] && [ $(( $(now_ms) - pressed )) -lt 5000 ]; do sleep 0.005; done
    key_ms=$(( $(now_ms) - pressed ))
    sleep 0.5
    idle_start=$(bytes "$name"); sleep 3; idle_bytes=$(( $(bytes "$name") - idle_start ))
    T send-keys -t "$name" "$ANIMATE_KEY"
    anim_start=$(bytes "$name"); sleep 1
    # A key while the engine computes and the animation plays: time to the changed focus marker.
    busy_ms=-1
    if [ "$PROFILE" = live ]; then
        pressed=$(now_ms); T send-keys -t "$name" Up
        while ! T capture-pane -p -t "$name" | grep -q '^▶xavier' && [ $(( $(now_ms) - pressed )) -lt 5000 ]; do sleep 0.005; done
        busy_ms=$(( $(now_ms) - pressed ))
    fi
    sleep 2; anim_bytes=$(( $(bytes "$name") - anim_start ))
    [ "$PROFILE" != live ] && T send-keys -t "$name" "$ANIMATE_KEY"
    T send-keys -t "$name" q; sleep 0.5
    echo "$size: key to changed screen $key_ms ms (tmux poll); in-loop key to frame" \
         "$(stat_value "$name" key_to_frame_us_median) us; frames $(stat_value "$name" frames)," \
         "frame render+draw median $(stat_value "$name" frame_us_median) us, p95 $(stat_value "$name" frame_us_p95) us," \
         "max $(stat_value "$name" frame_us_max) us"
    [ "$PROFILE" = live ] && echo "$size: key to changed screen while the engine runs and the view animates: $busy_ms ms (tmux poll)"
    echo "$size: bytes to terminal: idle $(( idle_bytes / 3 )) B/s, animating $(( anim_bytes / 3 )) B/s (3 s each)"
    T kill-session -t "$name"
done
