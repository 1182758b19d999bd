# Sourced by the end-to-end scripts that drive the binary under tmux (run.sh, record.sh, lecture.sh,
# lecture_story.sh), the soak (Tests/Soak/soak.sh) and the tmux benchmarks:
# `source "$(dirname "${BASH_SOURCE[0]}")/tmux_common.sh" NAME` after `set -u`.
# Stops with exit 2 if tmux is missing; then defines
#   SOCKET       the script's own tmux server, initscope-NAME-PID (never the user's)
#   WORK         a fresh temporary directory, removed with the server on exit
#   UTF8_LOCALE  a UTF-8 locale this machine has (C.UTF-8 if none is listed)
#   T ARGS...    tmux on SOCKET without any configuration file
#   pass NAME / fail NAME [DETAIL]   count into PASSED and FAILED and print one line (DETAIL indented below)
#   now_ms       the wall clock in milliseconds
command -v tmux >/dev/null || { echo "$(basename "$0"): tmux is not installed"; exit 2; }
SOCKET="initscope-${1:?tmux_common.sh needs the calling script name}-$$"
WORK="$(mktemp -d)"
UTF8_LOCALE="$(locale -a 2>/dev/null | grep -i -m1 -E '^(C|en_US)\.utf-?8$' || echo C.UTF-8)"
T() { tmux -L "$SOCKET" -f /dev/null "$@"; }
cleanup() { T kill-server >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT
PASSED=0; FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok   $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/     | /'; }
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
