#!/usr/bin/env bash
# The engine's own time (ms, --stats-file engine_run_ms) for start and for each key given, pressed one after another
# from the default live view (tanh; xavier, he, lsuv; L=50, n=512, B=256) at 80x24 with --no-animation; each key
# is pressed once the header says "done". Prints the load average around it: compare only runs made alike.
# Usage: bash Benchmarks/key-engine-times.sh BINARY [KEY...]   (default keys: + -)
set -u
BINARY="${1:?usage: key-engine-times.sh BINARY [KEY...]}"; shift
KEYS=("$@"); [ ${#KEYS[@]} -gt 0 ] || KEYS=(+ -)
SOCKET="initscope-keys-$$"; WORK="$(mktemp -d)"
T() { tmux -L "$SOCKET" -f /dev/null "$@"; }
trap 'T kill-server >/dev/null 2>&1; rm -rf "$WORK"' EXIT
wait_done() { for _ in $(seq 1200); do T capture-pane -p -t keys | head -1 | grep -q "done *$" && return; sleep 0.05; done; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
T new-session -d -s keys -x 80 -y 24 \
    "env TERM=xterm-256color OPENBLAS_NUM_THREADS=2 '$BINARY' --no-animation --stats-file '$WORK/stats'; sleep 60"
sleep 0.5; wait_done
for key in "${KEYS[@]}"; do T send-keys -t keys -- "$key"; sleep 0.3; wait_done; done
T send-keys -t keys q
for _ in $(seq 50); do [ -s "$WORK/stats" ] && break; sleep 0.1; done
echo "keys: start ${KEYS[*]}"
grep engine_run_ms "$WORK/stats"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
