#!/usr/bin/env bash
# The lecture, acted out on the real binary under tmux at 80x24, keys in this order: start with tanh and N(0, 1)
# weights, then small weights (n), Xavier (x), ReLU with Xavier (a), He (h), LSUV (l), orthogonal (o), deeper (+)
# and narrower ([). Each step prints the time from its key (or from the start) to the complete picture: the
# header says "done" (every row computed and swept in) on a screen that shows the step's change.
# A step fails only on a gross regression: more than 5x its budget (BUDGET_MS, default 2000 ms: the goal for a
# scenario key at the default size, animated; twice that for + and [, which recompute all six rows of a larger or
# new network). Figures vary with machine load; they are printed, not asserted.
# Usage: bash Tests/EndToEnd/lecture_story.sh BINARY [EXTRA_ARGS...]   (e.g. --no-animation)
# To extend: add checks to check_step (called after every step with the step's name and scenario variables).
set -u
BINARY="${1:?usage: lecture_story.sh BINARY [EXTRA_ARGS...]}"; shift
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
EXTRA_ARGS="$*"
BUDGET_MS="${BUDGET_MS:-2000}"
WIDTH="${STORY_WIDTH:-80}"; HEIGHT="${STORY_HEIGHT:-24}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/tmux_common.sh" story
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
screen() { T capture-pane -p -t story 2>/dev/null; }
capture() { screen; }
header() { screen | head -1; }

# The scenario each step shows, for checks against `initscope report` (kept in step by the step functions).
ACTIVATION=tanh; DEPTH=50; NET_WIDTH=512; BATCH=256; SEED=7; ROWS="normal:1"; FOCUS="normal:1"

# Each step waits for its complete picture up to 10x the budget plus 20 s (wait_complete.sh).
STEP_TIMEOUT_MS=$(( 10 * BUDGET_MS + 20000 ))
source "$HERE/wait_complete.sh"

# report_step NAME MS [BUDGET]: prints the figure; fails the step beyond 5x its budget (default BUDGET_MS).
report_step() {
    local budget="${3:-$BUDGET_MS}"
    if [ "$2" = timeout ] || [ "$2" -gt $(( 5 * budget )) ]; then
        FAILED=$((FAILED + 1)); echo "FAIL $1: complete picture after $2 ms (gross regression: more than 5 x $budget ms)"
        screen | sed 's/^/     | /'
    else
        printf 'ok   %-34s complete picture after %5d ms\n' "$1:" "$2"
    fi
}

# check_step NAME: the complete picture's caption and focused row against `initscope report` for the same scenario
# (numbers agree to the digits shown, the per-layer factor reproduces the last number, no number cut): see
# caption_check.py. Prints the caption it checked.
CHECKER="$HERE/caption_check.py"
check_step() {
    screen > "$WORK/step.screen"
    if python3 "$CHECKER" "$BINARY" "$WORK/step.screen" "$ACTIVATION" "$DEPTH" "$NET_WIDTH" "$BATCH" "$SEED" "$FOCUS" \
            > "$WORK/step.check" 2>&1; then
        printf 'ok   %-34s caption agrees with report: %s\n' "$1:" "$(tail -2 "$WORK/step.screen" | head -1 | sed 's/ *$//')"
    else
        FAILED=$((FAILED + 1)); echo "FAIL $1: caption or row against report ($ACTIVATION L=$DEPTH n=$NET_WIDTH $FOCUS):"
        sed 's/^/     - /' "$WORK/step.check"; sed 's/^/     | /' "$WORK/step.screen"
    fi
}

# key_step NAME KEY MARKER [BUDGET]: sends KEY and times the complete picture showing MARKER.
key_step() {
    local started; started=$(now_ms)
    T send-keys -t story -- "$2"
    report_step "$1" "$(wait_complete "$3" "$started" "$STEP_TIMEOUT_MS")" "${4:-$BUDGET_MS}"
    check_step "$1"
}

step_start() {
    local started; started=$(now_ms)
    T new-session -d -s story -x "$WIDTH" -y "$HEIGHT" \
        "env TERM=xterm-256color LANG=$UTF8_LOCALE '$BINARY' --activation tanh --init normal:1 $EXTRA_ARGS 2>'$WORK/stderr'; echo \$? > '$WORK/status'; sleep 60"
    report_step "start, tanh with N(0, 1)" "$(wait_complete '^▶normal:1 ' "$started" "$STEP_TIMEOUT_MS")"
    check_step "start"
}
step_small_weights() { ROWS="$ROWS,normal:0.01"; FOCUS=normal:0.01; key_step "n, small weights N(0, 0.01^2)" n '^▶normal:0\.01 '; }
step_xavier()        { ROWS="$ROWS,xavier"; FOCUS=xavier; key_step "x, Xavier" x '^▶xavier '; }
step_relu()          { ACTIVATION=relu; key_step "a, ReLU with Xavier" a '^initscope +relu '; }
step_he()            { ROWS="$ROWS,he"; FOCUS=he; key_step "h, He" h '^▶he '; }
step_lsuv()          { ROWS="$ROWS,lsuv"; FOCUS=lsuv; key_step "l, LSUV" l '^▶lsuv '; }
step_orthogonal()    { ROWS="$ROWS,orthogonal"; FOCUS=orthogonal; key_step "o, orthogonal" o '^▶orthogonal '; }
step_deeper()        { DEPTH=75; key_step "+, deeper (L=75)" + 'L=75 ' $(( 2 * BUDGET_MS )); }
step_narrower()      { NET_WIDTH=256; key_step "[, narrower (n=256)" '[' 'n=256 ' $(( 2 * BUDGET_MS )); }

echo "lecture story at ${WIDTH}x${HEIGHT}${EXTRA_ARGS:+ ($EXTRA_ARGS)}, budget $BUDGET_MS ms per step (fails above 5x)"
step_start
step_small_weights
step_xavier
step_relu
step_he
step_lsuv
step_orthogonal
step_deeper
step_narrower
T send-keys -t story q
for _ in $(seq 50); do [ -s "$WORK/status" ] && break; sleep 0.1; done
[ "$(cat "$WORK/status" 2>/dev/null)" = 0 ] || { FAILED=$((FAILED + 1)); echo "FAIL q: status $(cat "$WORK/status" 2>/dev/null) $(head -c 300 "$WORK/stderr")"; }
echo "lecture story: $FAILED failed"
[ "$FAILED" -eq 0 ]
