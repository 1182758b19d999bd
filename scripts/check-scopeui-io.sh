#!/usr/bin/env bash
# "Files at the edge": ScopeUI gets parsed values and does no I/O of its own (theme and lecture files are read by the
# executable). Fails, naming file and line, when ScopeUI's sources use a file-system, process or environment API.
# Usage: bash scripts/check-scopeui-io.sh     (run by `make unit`)
set -u
cd "$(dirname "$0")/.."
pattern='FileManager|FileHandle|fopen|fread|fwrite|opendir|readdir|contentsOfFile|contentsOf:|/proc/|ProcessInfo|getenv|CommandLine\.|Bundle\.|(^|[^A-Za-z_.])(open|stat|lstat|readlink|realpath|unlink|mkdir|pread|pwrite)\(|Glibc\.(read|write)'
# Comment lines are skipped; canvas.write(...) and other methods are not calls of the C functions (a '.' before).
hits="$(grep -rnE "$pattern" Sources/ScopeUI | grep -vE '^[^:]+:[0-9]+:\s*//')"
if [ -n "$hits" ]; then
    echo "check-scopeui-io: ScopeUI must not do I/O (read files in the executable and pass values in):"
    echo "$hits" | sed 's/^/  /'
    exit 1
fi
echo "check-scopeui-io: ScopeUI does no file, process or environment I/O ($(find Sources/ScopeUI -name '*.swift' | wc -l) files)"
