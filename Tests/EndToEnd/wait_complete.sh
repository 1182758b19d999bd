# Sourced by Tests/EndToEnd/{lecture_story,lecture,record}.sh and Benchmarks/picture-times.sh; the caller defines capture, now_ms
# and UTF8_LOCALE.
# wait_complete MARKER START_MS TIMEOUT_MS: prints the ms from START_MS until the header ends with "done" and the
# screen matches the extended regex MARKER, or "timeout" after TIMEOUT_MS.
wait_complete() {
    local deadline=$(( $2 + $3 )) text
    while [ "$(now_ms)" -le $deadline ]; do
        text="$(capture)"
        if echo "$text" | head -1 | grep -Eq 'done *$' && echo "$text" | LC_ALL="$UTF8_LOCALE" grep -Eq -- "$1"; then
            # A frame reaches the terminal in pieces: the new header's left part can sit beside the old "done".
            # Count it only when a capture 40 ms later still shows it.
            local seen; seen=$(now_ms); sleep 0.04; text="$(capture)"
            if echo "$text" | head -1 | grep -Eq 'done *$' && echo "$text" | LC_ALL="$UTF8_LOCALE" grep -Eq -- "$1"; then
                echo $(( seen - $2 )); return 0
            fi
        fi
        sleep 0.005
    done
    echo timeout
}
