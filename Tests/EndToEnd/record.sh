#!/usr/bin/env bash
# --record FILE.cast on the real binary under tmux: a path that cannot be created is one line, exit 74, nothing on
# stdout and no screen; a recorded session (keys, a resize to 100x30 and back) gives a valid asciicast v2 file
# (header with size and the theme's name, "r" events for the resizes) whose replay into a fresh pane of the same
# size (play_cast.py, raw output like asciinema) shows the same final screen, characters and colours
# (capture-pane -e), as the live pane did; SIGINT (Ctrl-C), SIGTERM and SIGHUP end a recording with the terminal
# restored and the file complete (every line JSON, the last one ended).
# Usage: bash Tests/EndToEnd/record.sh BINARY     Prints 'N passed, N failed'; exits 1 on any failure.
set -u
BINARY="${1:?usage: record.sh BINARY}"
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/tmux_common.sh" record
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
CURRENT=live
capture() { T capture-pane -p -t "$CURRENT" 2>/dev/null; }
source "$HERE/wait_complete.sh"
T new-session -d -s keeper -x 80 -y 24 "sleep 100000"

# Bad paths: refused before the screen opens.
for bad in "$WORK/no/such/dir/x.cast" "$WORK"; do
    "$BINARY" --record "$bad" >"$WORK/bad.out" 2>"$WORK/bad.err" </dev/null; status=$?
    if [ $status -eq 74 ] && [ ! -s "$WORK/bad.out" ] && [ "$(wc -l < "$WORK/bad.err")" -eq 1 ] \
        && grep -q -- "--record: could not create" "$WORK/bad.err"; then pass "--record $bad: exit 74, one line: $(cat "$WORK/bad.err")"
    else fail "--record $bad (status $status)" "$(cat "$WORK/bad.out" "$WORK/bad.err")"; fi
done
# Not a terminal: the file is created first, then removed again with the usual refusal (69).
"$BINARY" --record "$WORK/notty.cast" >"$WORK/bad.out" 2>"$WORK/bad.err" </dev/null; status=$?
if [ $status -eq 69 ] && [ ! -e "$WORK/notty.cast" ]; then pass "no terminal: exit 69, no file left"
else fail "no terminal with --record (status $status, file $(ls "$WORK/notty.cast" 2>&1))" "$(cat "$WORK/bad.err")"; fi

# start NAME ARGS...: the binary in a fresh 80x24 session NAME, recording to $WORK/NAME.cast.
start() {
    local name="$1"; shift
    CURRENT="$name"
    T new-session -d -s "$name" -x 80 -y 24 \
        "env TERM=xterm-256color LANG=$UTF8_LOCALE '$BINARY' --record '$WORK/$name.cast' $* 2>'$WORK/$name.stderr'; s=\$?; stty -a > '$WORK/$name.stty' 2>&1; echo \$s > '$WORK/$name.status'; sleep 60"
}
wait_status() {
    for _ in $(seq 100); do [ -s "$WORK/$CURRENT.status" ] && break; sleep 0.1; done
    cat "$WORK/$CURRENT.status" 2>/dev/null
}
# restored NAME: the shell's terminal modes are back (canonical input, echo).
restored() { grep -Eq '(^| )icanon( |$)' "$WORK/$1.stty" && grep -Eq '(^| )echo( |$)' "$WORK/$1.stty"; }

# A session with keys and a resize, then the replay.
start live --no-animation --theme solarized-dark
started=$(now_ms)
t=$(wait_complete "" "$started" 120000)
[ "$t" = timeout ] && fail "live view: no complete picture" "$(capture)"
for key in j g t; do T send-keys -t live "$key"; sleep 0.3; done
T resize-window -t live -x 100 -y 30; sleep 0.8
T resize-window -t live -x 80 -y 24; sleep 0.8
T send-keys -t live s
started=$(now_ms)
t=$(wait_complete "" "$started" 120000)
sleep 0.5
T capture-pane -p -t live > "$WORK/live.screen"
T capture-pane -p -e -t live > "$WORK/live.colours"
T send-keys -t live q
status=$(wait_status)
if [ "$status" = 0 ] && restored live; then pass "recorded session: q, status 0, terminal restored"
else fail "recorded session: status '$status'" "$(cat "$WORK/live.stderr" "$WORK/live.stty" 2>/dev/null | head -20)"; fi
if summary=$(python3 "$HERE/play_cast.py" check "$WORK/live.cast" 2>&1) \
    && python3 - "$summary" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
assert s["width"] == 80 and s["height"] == 24, s
assert "theme solarized-dark" in (s["title"] or ""), s["title"]
assert s["theme"]["bg"].startswith("#") and len(s["theme"]["palette"].split(":")) == 16, s["theme"]
assert "100x30" in s["resizes"] and s["resizes"][-1] == "80x24", s["resizes"]
assert s["outputs"] > 3 and s["output_bytes"] > 2000, s
assert s["first_output"].startswith("\x1b[?1049h"), s["first_output"]  # smcup first: a player enters the alternate screen
PY
then pass "recording: valid asciicast v2, $(echo "$summary" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["outputs"], "output events,", s["output_bytes"], "bytes, resizes", s["resizes"])')"
else fail "recording summary" "$summary"; fi

# replay NAME: plays $WORK/NAME.cast into a fresh 80x24 pane; its screen goes to NAME.replay (-e: NAME.replay.colours).
replay() {
    T new-session -d -s "replay-$1" -x 80 -y 24 "python3 '$HERE/play_cast.py' play '$WORK/$1.cast' '$WORK/$1.done' 2>'$WORK/$1.replay.err'; sleep 60"
    for _ in $(seq 100); do [ -e "$WORK/$1.done" ] && break; sleep 0.1; done
    sleep 0.3
    T capture-pane -p -t "replay-$1" > "$WORK/$1.replay"
    T capture-pane -p -e -t "replay-$1" > "$WORK/$1.replay.colours"
    [ -e "$WORK/$1.done" ]
}
if replay live && cmp -s "$WORK/live.screen" "$WORK/live.replay"; then pass "replay: the final screen's characters match the live pane's"
else fail "replay: characters differ" "$(diff "$WORK/live.screen" "$WORK/live.replay" | head -20; cat "$WORK/live.replay.err")"; fi
if cmp -s "$WORK/live.colours" "$WORK/live.replay.colours"; then pass "replay: colours and attributes match too (capture-pane -e)"
else fail "replay: colours differ" "$(diff "$WORK/live.colours" "$WORK/live.replay.colours" | head -6 | cut -c1-200)"; fi

# Signals: the terminal comes back, the file is complete.
for signal in INT TERM HUP; do
    start "sig$signal" --no-animation
    started=$(now_ms); t=$(wait_complete "" "$started" 120000)
    if [ "$signal" = INT ]; then T send-keys -t "sig$signal" C-c
    else
        pid=$(pgrep -f -- "--record $WORK/sig$signal.cast" | head -1)
        [ -n "$pid" ] && kill -s "$signal" "$pid"
    fi
    status=$(wait_status)
    if check=$(python3 "$HERE/play_cast.py" check "$WORK/sig$signal.cast" 2>&1) && restored "sig$signal"; then
        pass "SIG$signal: status $status, terminal restored, recording complete"
    else fail "SIG$signal: status '$status'" "$check $(cat "$WORK/sig$signal.stty" 2>/dev/null | head -3)"; fi
done

# Ctrl-Z while recording: the shell gets its terminal modes back, fg resumes, the recording goes on.
CURRENT=jobs
T new-session -d -s jobs -x 80 -y 24 "env TERM=xterm-256color LANG=$UTF8_LOCALE PS1='PROMPT\$ ' bash --norc -i"
sleep 0.3
T send-keys -t jobs "'$BINARY' terminal-check --record '$WORK/jobs.cast'" Enter
on_screen() { for _ in $(seq 100); do capture | grep -Eq -- "$1" && return 0; sleep 0.1; done; return 1; }
if on_screen 'initscope terminal-check'; then
    T send-keys -t jobs C-z
    on_screen 'Stopped' && T send-keys -t jobs "stty -a > '$WORK/jobs.stty'" Enter
    for _ in $(seq 50); do [ -s "$WORK/jobs.stty" ] && break; sleep 0.1; done
    alternate="$(T display-message -p -t jobs '#{alternate_on}')"
    if [ "$alternate" = 0 ] && restored jobs; then pass "Ctrl-Z while recording: shell back with its terminal modes"
    else fail "Ctrl-Z while recording (alternate screen $alternate)" "$(capture; cat "$WORK/jobs.stty" 2>/dev/null | head -4)"; fi
    T send-keys -t jobs fg Enter
    if on_screen 'colour depth'; then
        T send-keys -t jobs x; on_screen 'keys: x'; sleep 0.3
        capture > "$WORK/jobs.screen"
        T send-keys -t jobs q
        on_screen '^PROMPT\$ *$'
        if replay jobs && cmp -s "$WORK/jobs.screen" "$WORK/jobs.replay"; then
            pass "fg: the view and the recording go on (its replay ends on the screen after fg and x)"
        else fail "fg: recording after resume" "$(diff "$WORK/jobs.screen" "$WORK/jobs.replay" | head; cat "$WORK/jobs.replay.err" 2>/dev/null)"; fi
    else fail "fg: the screen did not come back" "$(capture)"; fi
else
    fail "Ctrl-Z: start under an interactive shell" "$(capture)"
fi

# A file that takes no bytes: the status line says so, the quit reports it (74).
CURRENT=full
rm -f "$WORK/full.status"
T new-session -d -s full -x 80 -y 24 \
    "env TERM=xterm-256color LANG=$UTF8_LOCALE '$BINARY' --record /dev/full --no-animation 2>'$WORK/full.stderr'; echo \$? > '$WORK/full.status'; sleep 60"
# The status message shows for a few seconds: look for it at once, not after the picture is complete.
if on_screen 'recording stopped: could not write the file'; then pass "/dev/full: the status line says the recording stopped"
else fail "/dev/full: no status" "$(capture)"; fi
T send-keys -t full q
status=$(wait_status)
if [ "$status" = 74 ] && grep -q "could not write the file" "$WORK/full.stderr"; then pass "/dev/full: quit exits 74 naming the problem"
else fail "/dev/full: status '$status'" "$(cat "$WORK/full.stderr")"; fi

echo "record: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
