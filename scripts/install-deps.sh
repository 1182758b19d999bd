#!/usr/bin/env bash
# Installs the Debian packages initscope needs when they are missing, or prints the apt-get line.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "installing: ${missing[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive $line -qq) >/dev/null || { echo "failed: $line" >&2; exit 1; }
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $line -qq) >/dev/null || { echo "failed: sudo $line" >&2; exit 1; }
else
  echo "missing packages; run as root: $line" >&2
  exit 1
fi
