#!/usr/bin/env bash
# The SVG of `initscope snapshot` in a real browser: headless Chromium (Debian's `chromium`) screenshots a fixed
# scenario's SVG at one device pixel per px, and svg_pixels.py compares pixels at cell centres with the theme file's
# colours (background, a full block of a sparkline or histogram, a coloured cell background, text).
# Usage: bash Tests/EndToEnd/svg_browser.sh BINARY     Exits 1 naming the check, pixel and colours on a mismatch;
# 2 when chromium is missing (`make deps` installs it).
set -u
BINARY="${1:?usage: svg_browser.sh BINARY}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
THEMES="$HERE/../../Themes"
CHROMIUM="$(command -v chromium || command -v chromium-browser)" || { echo "svg_browser.sh: chromium is not installed (make deps)"; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
started=$SECONDS
COLUMNS_=120; LINES_=40
OPENBLAS_NUM_THREADS=1 "$BINARY" snapshot --theme solarized-dark --size ${COLUMNS_}x${LINES_} --depth 20 --width 128 --batch 64 \
    --seed 7 --format svg --output "$WORK/snapshot.svg" || { echo "FAIL svg_browser: snapshot failed"; exit 1; }
# The SVG's size in px: 8.4 x 17 per cell.
size="$(python3 -c "print(round($COLUMNS_ * 8.4), ',', round($LINES_ * 17), sep='')")"
timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --user-data-dir="$WORK/profile" --window-size="$size" --screenshot="$WORK/shot.png" "file://$WORK/snapshot.svg" \
    >"$WORK/chromium.log" 2>&1
if [ ! -s "$WORK/shot.png" ]; then echo "FAIL svg_browser: chromium wrote no screenshot"; tail -5 "$WORK/chromium.log"; exit 1; fi
if python3 "$HERE/svg_pixels.py" "$WORK/snapshot.svg" "$WORK/shot.png" "$THEMES/solarized-dark.toml" "$THEMES/default.toml"; then
    echo "svg_browser: ok in $((SECONDS - started)) s ($("$CHROMIUM" --version 2>/dev/null | head -1))"
else
    mkdir -p /tmp/initscope-svg-browser && cp "$WORK/snapshot.svg" "$WORK/shot.png" /tmp/initscope-svg-browser/
    echo "FAIL svg_browser: the SVG and the screenshot are kept in /tmp/initscope-svg-browser/"
    exit 1
fi
