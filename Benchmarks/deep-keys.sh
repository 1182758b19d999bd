#!/usr/bin/env bash
# Key latency during the deepest runs issue 11 names (figures, not a test): for each configuration, the live view at
# 80x24 gets KEYS focus keys (j/k, alternating) 0.2 s apart while the engine computes, then as many after it is
# done; prints the program's own key-to-frame and frame times (--stats-file) and the time from tmux send-keys to the
# moved focus marker (polled every 5 ms, so it includes tmux and the poll).
# Usage: bash Benchmarks/deep-keys.sh BINARY [KEYS]   (default 20). Quote the load it prints with the figures.
set -u
BINARY="${1:?usage: deep-keys.sh BINARY [KEYS]}"
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
KEYS="${2:-20}"
# tmux server, work dir, UTF-8 locale, T, cleanup and now_ms: the end-to-end scripts' own set-up.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../Tests/EndToEnd/tmux_common.sh" deep
stat_value() { awk -v k="$2" '$1 == k { print $2 }' "$WORK/$1.stats" 2>/dev/null; }

CONFIGS=(
    "mlp|--depth 10000 --width 256 --batch 128 --init xavier,he"
    "resnet|--arch resnet --depth 10000 --width 256 --batch 128 --init he,fixup"
    "transformer|--arch transformer --depth 1000 --width 256 --tokens 32 --batch 8 --init xavier,gpt2"
)

# The focused row's name: the line that starts with the focus marker.
focused() { T capture-pane -p -t "$1" | LC_ALL="$UTF8_LOCALE" grep -m1 -E '^▶' | awk '{ print $1 }'; }

# press NAME: sends j or k (alternating), returns ms until the focus marker moved (5000 when it did not).
press() {
    local before after pressed key
    before=$(focused "$1"); key=j; [ $(( PRESSES % 2 )) -eq 1 ] && key=k; PRESSES=$(( PRESSES + 1 ))
    pressed=$(now_ms); T send-keys -t "$1" "$key"
    while :; do
        after=$(focused "$1")
        [ -n "$after" ] && [ "$after" != "$before" ] && break
        [ $(( $(now_ms) - pressed )) -ge 5000 ] && { echo 5000; return; }
        sleep 0.005
    done
    echo $(( $(now_ms) - pressed ))
}
median_max() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } printf "median %d ms, max %d ms", v[int((NR + 1) / 2)], v[NR] }'; }

echo "initscope keys during deep runs, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for config in "${CONFIGS[@]}"; do
    name=${config%%|*}; args=${config#*|}; PRESSES=0
    T new-session -d -s "$name" -x 80 -y 24 \
        "env TERM=xterm-256color LANG=$UTF8_LOCALE '$BINARY' $args --stats-file '$WORK/$name.stats'; sleep 60"
    sleep 2
    busy=(); idle=()
    for _ in $(seq "$KEYS"); do busy+=("$(press "$name")"); sleep 0.2; done
    # Then wait for the run to finish ("done" in the header), at most 20 minutes, and press as many again.
    deadline=$(( $(now_ms) + 1200000 ))
    until T capture-pane -p -t "$name" | head -1 | grep -q ' done' || [ "$(now_ms)" -gt "$deadline" ]; do sleep 1; done
    for _ in $(seq "$KEYS"); do idle+=("$(press "$name")"); sleep 0.2; done
    T send-keys -t "$name" q
    deadline=$(( $(now_ms) + 20000 ))
    while [ -z "$(stat_value "$name" frames)" ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.1; done
    echo "$name ($args):"
    echo "  from outside, while computing: $(printf '%s\n' "${busy[@]}" | median_max); after: $(printf '%s\n' "${idle[@]}" | median_max)"
    echo "  in-loop key to frame median $(stat_value "$name" key_to_frame_us_median) us, max $(stat_value "$name" key_to_frame_us_max) us;" \
         "frames $(stat_value "$name" frames), frame median $(stat_value "$name" frame_us_median) us," \
         "p95 $(stat_value "$name" frame_us_p95) us, max $(stat_value "$name" frame_us_max) us;" \
         "loop busy at most (us) $(awk '$1 == "loop_busy_us_max" { $1 = ""; print substr($0, 2) }' "$WORK/$name.stats" 2>/dev/null) (a key arriving then waits that long to be read);" \
         "slowest key $(awk '$1 == "key_to_frame_slowest" { $1 = ""; print substr($0, 2) }' "$WORK/$name.stats" 2>/dev/null)"
    T kill-session -t "$name" 2>/dev/null
done
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
