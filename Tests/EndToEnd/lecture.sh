#!/usr/bin/env bash
# The shipped lecture, given on the real binary under tmux from the first scene to the last (n and PageDown
# alternately), then back (p, PageUp): each scene's complete picture must show "scene K/N" and its title in the
# header and a caption whose every number agrees with `initscope report` for the scene's scenario
# (lecture_check.py). A training scene must start training when it opens (the header's "training N/S"), its caption
# must agree with `initscope train` for the scene's rows and settings while it trains and once it is done, and
# leaving it must stop the run. Also: `lecture --check` on good and broken files (one line, exit 65; a bad training
# value too), a missing lecture.
# Usage: bash Tests/EndToEnd/lecture.sh BINARY [LECTURE]   (default: the bundled lecture, found from the binary)
set -u
BINARY="${1:?usage: lecture.sh BINARY [LECTURE]}"
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
LECTURE="${2:-}"
WIDTH="${LECTURE_WIDTH:-80}"; HEIGHT="${LECTURE_HEIGHT:-24}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/tmux_common.sh" lecture
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
capture() { T capture-pane -p -t lecture 2>/dev/null; }
source "$HERE/wait_complete.sh"
TIMEOUT_MS="${SCENE_TIMEOUT_MS:-120000}"

# --check and --print-scenes without a screen.
if out="$("$BINARY" lecture --check $LECTURE 2>&1)" && echo "$out" | grep -Eq ': ok, [0-9]+ scenes'; then pass "lecture --check: $out"
else fail "lecture --check on the shipped lecture" "$out"; fi
printf 'title = "t"\n\n[[scene]]\ntitle = "a"\ndepth = "deep"\ncaption = "x."\n' > "$WORK/broken.toml"
out="$("$BINARY" lecture --check "$WORK/broken.toml" 2>&1)"; status=$?
if [ $status -eq 65 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && echo "$out" | grep -q "broken.toml:5 depth: scene 1: must be an integer"; then
    pass "broken lecture: one line naming file, line and problem, status 65"
else fail "broken lecture (status $status)" "$out"; fi
printf 'title = "t"\n\n[[scene]]\ntitle = "a"\ntrain = true\nlr = -1\ncaption = "x."\n' > "$WORK/badlr.toml"
out="$("$BINARY" lecture --check "$WORK/badlr.toml" 2>&1)"; status=$?
if [ $status -eq 65 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && echo "$out" | grep -q "badlr.toml:6 lr: scene 1: learning rate must be a positive finite number"; then
    pass "bad training value: one line naming file, line and problem, status 65"
else fail "bad training value (status $status)" "$out"; fi
out="$("$BINARY" lecture --check "$WORK/none.toml" 2>&1)"; status=$?
if [ $status -eq 65 ] && echo "$out" | grep -q "none.toml: no such file"; then pass "missing lecture file: status 65"
else fail "missing lecture file (status $status)" "$out"; fi
out="$("$BINARY" lecture nosuchlecture 2>&1)"; status=$?
if [ $status -eq 65 ] && echo "$out" | grep -q "no such lecture (have initialization"; then pass "unknown lecture name: status 65, names the lectures"
else fail "unknown lecture name (status $status)" "$out"; fi

"$BINARY" lecture --print-scenes $LECTURE > "$WORK/scenes.jsonl" || { fail "lecture --print-scenes"; exit 1; }
COUNT=$(wc -l < "$WORK/scenes.jsonl")

# Each training scene's rows trained by `initscope train` with the scene's arguments, in the background while the
# scenes before it are given (the live view must reach the same numbers: same seed, batches and read-out).
declare -A TRAIN_PID
for k in $(seq "$COUNT"); do
    args="$(sed -n "${k}p" "$WORK/scenes.jsonl" | python3 -c 'import json,sys; t=json.load(sys.stdin)["train"]; print("\n".join(t) if t else "")')"
    [ -n "$args" ] || continue
    mapfile -t train_args <<< "$args"
    "$BINARY" train "${train_args[@]}" --format json > "$WORK/train-$k.json" 2> "$WORK/train-$k.err" &
    TRAIN_PID[$k]=$!
done
TRAINING_SCENES="${!TRAIN_PID[*]}"
[ -n "$TRAINING_SCENES" ] && pass "training scenes: $TRAINING_SCENES (initscope train runs their rows in the background)"

# train_json K: scene K's `initscope train` JSON file, once written ("" for a scene without training).
train_json() {
    [ -n "${TRAIN_PID[$1]:-}" ] || { echo ""; return; }
    if ! wait "${TRAIN_PID[$1]}" 2>/dev/null && [ ! -s "$WORK/train-$1.json" ]; then
        fail "initscope train for scene $1" "$(head -c 300 "$WORK/train-$1.err")"
    fi
    echo "$WORK/train-$1.json"
}

# check_screen K SCREEN_FILE LABEL: a captured screen against scene K's line.
check_screen() {
    local scene; scene="$(sed -n "${1}p" "$WORK/scenes.jsonl")"
    local json; json="$(train_json "$1")"
    if python3 "$HERE/lecture_check.py" "$BINARY" "$2" "$scene" "$COUNT" $json > "$WORK/scene.check" 2>&1; then
        pass "scene $1/$COUNT $3: $(sed -n "$((HEIGHT - 3)),$((HEIGHT - 1))p" "$2" | sed 's/ *$//' | tr '\n' ' ' | sed 's/ *$//')"
    else
        fail "scene $1/$COUNT $3" "$(cat "$WORK/scene.check"; cat "$2")"
    fi
}

# check_scene K MS: the complete picture against scene K's line.
check_scene() {
    # A scene showing the spectrum or the phase map: its panel computes after the run (J_1..200 at width 256: about
    # 20 s on a quiet machine; up to 240 s more here, for a loaded one).
    for _ in $(seq 2400); do capture | grep -Eq "computing the (singular|mean-field)|placing the focused row" || break; sleep 0.1; done
    capture > "$WORK/scene.screen"
    check_screen "$1" "$WORK/scene.screen" "after $2 ms"
}

# watch_training K STARTED: a training scene trains as soon as it opens: its header says "training N/S" (timed from
# the key), and a frame caught while it trains, with every caption value filled, agrees with `initscope train`.
watch_training() {
    [ -n "${TRAIN_PID[$1]:-}" ] || return 0
    local deadline=$(( $(now_ms) + TIMEOUT_MS )) seen="" opening json="" tries=0
    # The caption's first words: a frame reaches the terminal in pieces, so the new header can sit above the old caption.
    opening="$(sed -n "${1}p" "$WORK/scenes.jsonl" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["caption"].split("{")[0].split()[:4]))')"
    while [ "$(now_ms)" -le $deadline ]; do
        capture > "$WORK/running.screen"
        if head -1 "$WORK/running.screen" | grep -Eq "^scene $1/$COUNT .*training [0-9]+/[0-9]+ *$"; then
            if [ -z "$seen" ]; then
                seen=$(( $(now_ms) - $2 ))
                pass "scene $1/$COUNT trains $seen ms after its key: $(head -1 "$WORK/running.screen" | grep -Eo 'training [0-9]+/[0-9]+')"
                json="$(train_json "$1")"
                continue
            fi
            # Caught with every value filled, while still training: check it (a later frame may be done already). A
            # frame torn between two draws may not match the template: up to 3 frames are tried.
            if ! sed -n "$((HEIGHT - 3)),$((HEIGHT - 1))p" "$WORK/running.screen" | grep -q '?' \
                    && sed -n "$((HEIGHT - 3)),$((HEIGHT - 1))p" "$WORK/running.screen" | grep -qF "$opening"; then
                tries=$((tries + 1))
                if python3 "$HERE/lecture_check.py" "$BINARY" "$WORK/running.screen" "$(sed -n "${1}p" "$WORK/scenes.jsonl")" \
                        "$COUNT" $json > "$WORK/running.check" 2>&1 || [ $tries -ge 3 ]; then
                    check_screen "$1" "$WORK/running.screen" "while training"
                    return 0
                fi
            fi
        elif [ -n "$seen" ]; then
            # Done before a frame was caught with every value filled: the complete picture is checked next.
            echo "note scene $1/$COUNT: done before a frame with every caption value filled was caught while training"
            break
        fi
        sleep 0.05
    done
    [ -n "$seen" ] || fail "scene $1/$COUNT: the header never said training" "$(capture)"
}

started=$(now_ms)
T new-session -d -s lecture -x "$WIDTH" -y "$HEIGHT" \
    "env TERM=xterm-256color LANG=$UTF8_LOCALE '$BINARY' lecture $LECTURE --no-animation 2>'$WORK/stderr'; echo \$? > '$WORK/status'; sleep 60"
check_scene 1 "$(wait_complete "^scene 1/$COUNT " "$started" "$TIMEOUT_MS")"
for k in $(seq 2 "$COUNT"); do
    started=$(now_ms)
    if [ $((k % 2)) -eq 0 ]; then T send-keys -t lecture n; else T send-keys -t lecture PageDown; fi
    watch_training "$k" "$started"
    check_scene "$k" "$(wait_complete "^scene $k/$COUNT " "$started" "$TIMEOUT_MS")"
done
# Past the last scene nothing moves; p and PageUp go back, and the scene's settings come back with it.
T send-keys -t lecture n; sleep 0.3
if capture | grep -q "last scene"; then pass "n on the last scene says so"; else fail "n on the last scene" "$(capture)"; fi
# Back into the last scene when it trains (p, then n): it trains anew; p leaves it while it trains and stops the run.
if [ -n "${TRAIN_PID[$COUNT]:-}" ]; then
    T send-keys -t lecture p; wait_complete "^scene $((COUNT - 1))/$COUNT " "$(now_ms)" "$TIMEOUT_MS" > /dev/null
    T send-keys -t lecture n
    for _ in $(seq 400); do capture | head -1 | grep -Eq "^scene $COUNT/$COUNT .*training [0-9]+/" && break; sleep 0.05; done
    if capture | head -1 | grep -Eq "training [0-9]+/"; then pass "back in scene $COUNT/$COUNT: it trains anew ($(capture | head -1 | grep -Eo 'training [0-9]+/[0-9]+'))"
    else fail "back in scene $COUNT/$COUNT: no training" "$(capture)"; fi
fi
started=$(now_ms); T send-keys -t lecture p
check_scene $((COUNT - 1)) "$(wait_complete "^scene $((COUNT - 1))/$COUNT " "$started" "$TIMEOUT_MS")"
if [ -n "${TRAIN_PID[$COUNT]:-}" ]; then
    sleep 1
    if capture | head -1 | grep -q "training"; then fail "p left the training scene but it still trains" "$(capture)"
    else pass "p left the training scene: its run stopped (header: $(capture | head -1 | grep -Eo '[a-z]+ *$'))"; fi
fi
started=$(now_ms); T send-keys -t lecture PageUp
check_scene $((COUNT - 2)) "$(wait_complete "^scene $((COUNT - 2))/$COUNT " "$started" "$TIMEOUT_MS")"
T send-keys -t lecture q
for _ in $(seq 50); do [ -s "$WORK/status" ] && break; sleep 0.1; done
if [ "$(cat "$WORK/status" 2>/dev/null)" = 0 ]; then pass "q ends the lecture with status 0"
else fail "q: status $(cat "$WORK/status" 2>/dev/null)" "$(head -c 300 "$WORK/stderr")"; fi
echo "lecture: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
