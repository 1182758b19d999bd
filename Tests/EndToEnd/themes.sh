#!/usr/bin/env bash
# End-to-end checks of theme discovery and `initscope themes` on a built binary (no terminal needed).
# Usage: bash Tests/EndToEnd/themes.sh path/to/initscope
# Prints "N passed, M failed" and exits non-zero on any failure.
set -u
BIN=$(realpath "${1:?usage: themes.sh path/to/initscope}")
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0; failed=0
check() { # name, command...
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name" >&2; fi
}
export XDG_CONFIG_HOME="$WORK/config"; unset INITSCOPE_THEME NO_COLOR

# 1. From the build tree: bundled themes found by walking up from the binary; names (not escapes) into a pipe.
out=$(cd / && "$BIN" themes 2>"$WORK/err"); rc=$?
check "themes exits 0" test $rc -eq 0
for name in default light high-contrast okabe-ito solarized-dark mono; do
    check "lists $name" grep -q "^[* ] $name " <<<"$out"
done
check "default is selected" grep -q '^\* default ' <<<"$out"
check "no escapes into a pipe" bash -c '! grep -q $'"'"'\x1b'"'"' <<<"$1"' _ "$out"
check "bundled path is the repo's Themes" grep -q "($REPO/Themes/light.toml)" <<<"$out"

# 2. Installed layout: prefix/bin/initscope (via a symlink elsewhere) + prefix/share/initscope/themes.
mkdir -p "$WORK/prefix/bin" "$WORK/prefix/share/initscope/themes" "$WORK/path"
cp "$BIN" "$WORK/prefix/bin/initscope"
cp "$REPO"/Themes/*.toml "$WORK/prefix/share/initscope/themes/"
ln -s "$WORK/prefix/bin/initscope" "$WORK/path/initscope"
out=$(cd / && "$WORK/path/initscope" themes 2>/dev/null)
check "installed themes found" grep -q "($WORK/prefix/share/initscope/themes/okabe-ito.toml)" <<<"$out"

# 3. No themes anywhere: the compiled-in default still lists.
mkdir -p "$WORK/lonely"; cp "$BIN" "$WORK/lonely/initscope"
out=$(cd / && "$WORK/lonely/initscope" themes 2>/dev/null)
check "built-in default when nothing is found" grep -q '^\* default .*(built-in)' <<<"$out"

# 4. User themes from $XDG_CONFIG_HOME, a broken one reported on stderr, selection by INITSCOPE_THEME.
mkdir -p "$XDG_CONFIG_HOME/initscope/themes"
printf 'inherits = "okabe-ito"\nsummary = "my lecture"\n' > "$XDG_CONFIG_HOME/initscope/themes/lecture.toml"
printf 'inherits = "default"\ntext = "#zzzzzz"\n' > "$XDG_CONFIG_HOME/initscope/themes/broken.toml"
out=$(cd / && INITSCOPE_THEME=lecture "$BIN" themes 2>"$WORK/err")
check "user theme listed and selected" grep -q '^\* lecture .*my lecture' <<<"$out"
check "broken user theme reported with line and key" grep -q "broken.toml:2 text: '#zzzzzz' is not a #rrggbb colour" "$WORK/err"

# 5. Unknown --theme: default selected, message on stderr.
out=$(cd / && "$BIN" themes --theme neon 2>"$WORK/err")
check "unknown theme falls back" grep -q '^\* default ' <<<"$out"
check "unknown theme message" grep -q "theme 'neon': no such theme" "$WORK/err"

# 6. --check: good file ok, broken files exit 65 with file:line key.
"$BIN" themes --check "$REPO/Themes/mono.toml" >"$WORK/out" 2>&1
check "check good file" test $? -eq 0
printf 'inherits = "default"\nseries = [\n' > "$WORK/trunc.toml"
head -c 3000 /dev/urandom > "$WORK/garbage.toml"
"$BIN" themes --check "$WORK/trunc.toml" --check "$WORK/garbage.toml" >"$WORK/out" 2>&1
check "check broken exits 65" test $? -eq 65
check "truncated file named with line and key" grep -q "trunc.toml:2 series: TOML syntax" "$WORK/out"
check "garbage refused" grep -q "garbage.toml.*FAILED" "$WORK/out"

# 6b. Unreadable theme files (exist, but reading fails): one line naming the file, status 66 (README), never
# "missing background"; in `themes --theme`, `themes --check` and the live view (checked before the terminal).
"$BIN" themes --theme /proc/self/mem >"$WORK/out" 2>"$WORK/err"
check "themes --theme unreadable exits 66" test $? -eq 66
check "unreadable theme says so" grep -q "^initscope: theme /proc/self/mem: could not be read (" "$WORK/err"
check "unreadable theme: not 'missing background'" bash -c '! grep -q "missing" "$1"' _ "$WORK/err"
"$BIN" themes --check /proc/self/mem >"$WORK/out" 2>&1
check "themes --check unreadable exits 66" test $? -eq 66
check "check names the unreadable file" grep -q "/proc/self/mem: FAILED: /proc/self/mem: could not be read" "$WORK/out"
"$BIN" --theme /proc/self/mem </dev/null >"$WORK/out" 2>"$WORK/err"
check "live --theme unreadable exits 66" test $? -eq 66
check "live unreadable theme: one line" test "$(wc -l <"$WORK/err")" -eq 1
INITSCOPE_THEME=/proc/self/mem "$BIN" themes >/dev/null 2>&1
check "INITSCOPE_THEME unreadable exits 66" test $? -eq 66

# 6c. A user theme overriding a bundled one by name inherits from it: no theme is skipped.
OVERRIDE="$WORK/override-config"; mkdir -p "$OVERRIDE/initscope/themes"
printf 'name = "default"\ninherits = "default"\naccent = "#123456"\n' > "$OVERRIDE/initscope/themes/my-default.toml"
out=$(cd / && XDG_CONFIG_HOME="$OVERRIDE" "$BIN" themes 2>"$WORK/err"); rc=$?
check "override: exits 0" test $rc -eq 0
check "override: nothing skipped" test ! -s "$WORK/err"
for name in default light high-contrast okabe-ito solarized-dark mono; do
    check "override: lists $name" grep -q "^[* ] $name " <<<"$out"
done
check "override: default comes from the user file" grep -q "^\* default .*($OVERRIDE/initscope/themes/my-default.toml)" <<<"$out"

# 6d. A name smuggling a NUL through an escape is refused (it would load as "a").
printf 'name = "a\\u0000b"\ninherits = "default"\n' > "$WORK/nul-name.toml"
"$BIN" themes --check "$WORK/nul-name.toml" >"$WORK/out" 2>&1
check "NUL escape in name exits 65" test $? -eq 65
check "NUL escape named" grep -q "nul-name.toml:1 name: control character escape" "$WORK/out"

# 7. --color always gives escapes even into a pipe; --color bogus is a usage error (64).
out=$("$BIN" themes --color always 2>/dev/null)
check "--color always emits escapes" grep -q $'\x1b\\[0;' <<<"$out"
"$BIN" themes --color bogus >/dev/null 2>&1
check "--color bogus exits 64" test $? -eq 64

# 8. --depth previews another depth: names at 8 colours into a pipe; a bad depth is a usage error.
out=$(cd / && "$BIN" themes --depth 8 2>/dev/null)
check "--depth 8 names" grep -q '^  light          text=black on white ' <<<"$out"
"$BIN" themes --depth 12 >/dev/null 2>&1
check "--depth 12 exits 64" test $? -eq 64

# 9. On a real terminal (tmux): escape swatches at the detected depth, checked with capture-pane -e.
if command -v tmux >/dev/null; then
    SOCKET="initscope-themes-$$"
    capture() { # environment..., prints the captured pane with escapes
        local session="t$RANDOM"
        tmux -L "$SOCKET" new-session -d -s "$session" -x 230 -y 20 \
            "env -u NO_COLOR -u COLORTERM $* $BIN themes --theme okabe-ito; sleep 30"
        for _ in $(seq 1 50); do
            tmux -L "$SOCKET" capture-pane -p -t "$session" | grep -q mono && break
            sleep 0.1
        done
        tmux -L "$SOCKET" capture-pane -e -p -t "$session"
        tmux -L "$SOCKET" kill-session -t "$session"
    }
    out=$(capture COLORTERM=truecolor TERM=xterm-256color)
    check "tmux truecolor swatch (#56b4e9)" grep -q '38;2;86;180;233' <<<"$out"
    check "tmux marks okabe-ito selected" grep -q '^\* okabe-ito' <<<"$out"
    out=$(capture TERM=xterm-256color)
    check "tmux 256-colour swatch" grep -q '38;5;' <<<"$out"
    check "tmux 256: no truecolor" bash -c '! grep -q "38;2;" <<<"$1"' _ "$out"
    out=$(capture TERM=xterm-256color NO_COLOR=1)
    check "tmux NO_COLOR: no colour" bash -c '! grep -Eq "\[(3[0-7]|38|9[0-7])[;m]|;(3[0-7]|38|9[0-7])[;m]" <<<"$1"' _ "$out"
    check "tmux NO_COLOR: attributes stay" grep -q $'\x1b\\[1m' <<<"$out"

    # 10. Live view: --theme light, then `t` twice (light -> high-contrast -> okabe-ito), colours from capture-pane -e.
    # Skipped (said so) while this build has no live view wired to ScopeUI.
    live="t$RANDOM"
    tmux -L "$SOCKET" new-session -d -s "$live" -x 100 -y 30 \
        "env -u NO_COLOR COLORTERM=truecolor TERM=xterm-256color OPENBLAS_NUM_THREADS=1 $BIN --theme light --depth 4 --width 16 --batch 8 --no-animation 2>$WORK/live.err; echo EXITED \$? >> $WORK/live.err; sleep 30"
    ready=""
    for _ in $(seq 1 100); do
        pane=$(tmux -L "$SOCKET" capture-pane -p -t "$live")
        if grep -q '^initscope' <<<"$pane"; then ready=yes; break; fi
        if grep -q EXITED "$WORK/live.err" 2>/dev/null; then break; fi
        sleep 0.1
    done
    if [ -z "$ready" ]; then
        echo "live view not available in this build ($(head -c 120 "$WORK/live.err" 2>/dev/null | tr '\n' ' ')): theme cycling skipped" >&2
    else
        first=$(tmux -L "$SOCKET" capture-pane -e -p -t "$live")
        check "live light: white background" grep -Eq '48;5;231|48;2;255;255;255|\[107m|;107m' <<<"$first"
        for expected in high-contrast okabe-ito; do
            tmux -L "$SOCKET" send-keys -t "$live" t
            for _ in $(seq 1 50); do
                tmux -L "$SOCKET" capture-pane -p -t "$live" | grep -q "theme $expected" && break
                sleep 0.1
            done
            pane=$(tmux -L "$SOCKET" capture-pane -e -p -t "$live")
            check "live t -> $expected named in the status line" grep -q "theme $expected" <<<"$pane"
            check "live t -> $expected repaints" test "$pane" != "$first"
            first=$pane
        done
        check "live high-contrast -> okabe-ito: no painted white background" bash -c '! grep -Eq "48;5;231|48;2;255;255;255" <<<"$1"' _ "$pane"
        tmux -L "$SOCKET" send-keys -t "$live" q
        # A broken --theme: the live view starts with the default theme and says why on the status line.
        printf 'inherits = "default"\n\naccent = "#12345z"\n' > "$WORK/broken-live.toml"
        bad="t$RANDOM"
        tmux -L "$SOCKET" new-session -d -s "$bad" -x 160 -y 30 \
            "env TERM=xterm-256color OPENBLAS_NUM_THREADS=1 $BIN --theme $WORK/broken-live.toml --depth 3 --width 8 --batch 4 --no-animation; sleep 30"
        for _ in $(seq 1 100); do
            tmux -L "$SOCKET" capture-pane -p -t "$bad" | grep -q 'using default' && break
            sleep 0.1
        done
        pane=$(tmux -L "$SOCKET" capture-pane -p -t "$bad")
        check "live broken theme: status line names file:line key" \
            grep -q "broken-live.toml:3 accent: '#12345z' is not a #rrggbb colour; using default" <<<"$pane"
        tmux -L "$SOCKET" send-keys -t "$bad" q
    fi
    tmux -L "$SOCKET" kill-server 2>/dev/null
else
    echo "tmux not found: terminal swatch checks skipped" >&2
fi

echo "themes e2e: $passed passed, $failed failed"
test $failed -eq 0
