#!/usr/bin/env bash
# The update of single keys during deep runs (figures, not a test): for each configuration and key, a fresh live view
# at 120x40 (the soak's size) computes for WAIT seconds, gets the key once, and quits; prints the program's own
# figures for that key (--stats-file key_to_frame_slowest: read to frame, its update and the frame, microseconds) and
# the header after it. One key per session, so the slowest key is that key.
# Usage: bash Benchmarks/key-updates.sh BINARY [WAIT]   (default 6 s). Quote the load it prints with the figures.
set -u
BINARY="${1:?usage: key-updates.sh BINARY [WAIT]}"
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
WAIT="${2:-6}"
# tmux server, work dir, UTF-8 locale, T, cleanup and now_ms: the end-to-end scripts' own set-up.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../Tests/EndToEnd/tmux_common.sh" keyupdates
SEVEN="--init xavier,he,lsuv,orthogonal,normal:0.01,normal:1,torch-default"
CONFIGS=(
    "m ] Escape|--depth 10000 --width 256 --batch 128"
    "m|--depth 10000 --width 256 --batch 128 $SEVEN"
    "m ] s|--depth 10000 --width 32 --batch 32 $SEVEN"
    "m|--arch resnet --depth 10000 --width 256 --batch 128"
    "m|--arch transformer --depth 1000 --width 256 --tokens 32 --batch 8"
)

echo "initscope single keys during deep runs, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
session=0
for config in "${CONFIGS[@]}"; do
    keys=${config%%|*}; args=${config#*|}
    for key in $keys; do
        session=$((session + 1)); name="k$session"
        T new-session -d -s "$name" -x 120 -y 40 \
            "env TERM=xterm-256color LANG=$UTF8_LOCALE '$BINARY' $args --stats-file '$WORK/$name.stats'; sleep 60"
        sleep "$WAIT"
        T send-keys -t "$name" -- "$key"
        sleep 2
        header=$(T capture-pane -p -t "$name" | head -1 | sed 's/  */ /g')
        T send-keys -t "$name" q
        deadline=$(( $(now_ms) + 20000 ))
        while [ ! -s "$WORK/$name.stats" ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.1; done
        slowest=$(awk '$1 == "key_to_frame_slowest" { $1 = ""; print substr($0, 2) }' "$WORK/$name.stats" 2>/dev/null)
        echo "$key ($args): ${slowest:--}; then: $header"
        T kill-session -t "$name" 2>/dev/null
    done
done
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
