#!/usr/bin/env bash
# Key latency while the default transformer screen trains (figures, not a test): the live view at 80x24 with
# --arch transformer (4 rows, L=12, d=256, T=32, B=8, bigram V=64) computes its step-0 picture, T starts training,
# and after 20 s it gets 40 rounds of Right Left j k w W, 150 ms apart; then p pauses and q quits. Prints the screen's
# last lines (the step reached) and the program's own key-to-frame figures (--stats-file).
# Usage: bash Benchmarks/train-keys.sh BINARY [ARGS...]  (ARGS replace --arch transformer). Quote the load it prints.
set -u
BINARY="${1:?usage: train-keys.sh BINARY [ARGS...]}"; shift
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
ARGS="${*:---arch transformer}"
# tmux server, work dir, UTF-8 locale, T, cleanup and now_ms: the end-to-end scripts' own set-up.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../Tests/EndToEnd/tmux_common.sh" train-keys
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
T new-session -d -s keeper -x 80 -y 24 "sleep 100000"
T new-session -d -s k -x 80 -y 24 "env TERM=xterm-256color LANG=$UTF8_LOCALE OPENBLAS_NUM_THREADS=1 '$BINARY' $ARGS --no-animation --stats-file '$WORK/stats' 2>'$WORK/err'; echo \$? > '$WORK/status'; sleep 30"
for _ in $(seq 1 240); do T capture-pane -p -t k | grep -q 'done' && break; sleep 0.5; done
T send-keys -t k T
sleep 20
for _ in $(seq 1 40); do for key in Right Left j k w W; do T send-keys -t k "$key"; sleep 0.15; done; done
T send-keys -t k p; sleep 1
T capture-pane -p -t k | tail -2
T send-keys -t k q; sleep 2
echo "exit status: $(cat "$WORK/status" 2>/dev/null)"
grep -E '^(keys|key_to_frame)' "$WORK/stats"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
