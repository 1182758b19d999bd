#!/usr/bin/env bash
# SignalFlow's public interface hands out no unsafe pointers: extracts the public symbol graph of the SignalFlow
# module from a build (default: the unit-test build in .build) and fails, naming each declaration, when one
# mentions an Unsafe* type, unless scripts/public-api-unsafe-allowlist.txt lists it (with the reason it is left).
# Usage: bash scripts/check-public-api.sh [scratch path, default .build] [configuration, default release]
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${1:-.build}
CONFIG=${2:-release}
MODULES="$SCRATCH/$CONFIG/Modules"
if [[ ! -f "$MODULES/SignalFlow.swiftmodule" ]]; then
    echo "check-public-api: $MODULES/SignalFlow.swiftmodule not found (build first: make unit)" >&2
    exit 2
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
TRIPLE=$(swift -print-target-info | python3 -c 'import json, sys; print(json.load(sys.stdin)["target"]["triple"])')
swift-symbolgraph-extract -module-name SignalFlow -target "$TRIPLE" -I "$MODULES" \
    -Xcc -fmodule-map-file="$PWD/Sources/COpenBLAS/module.modulemap" \
    -minimum-access-level public -skip-synthesized-members -output-dir "$OUT"
python3 - "$OUT" scripts/public-api-unsafe-allowlist.txt <<'PY'
import glob, json, sys
out, allowlist_path = sys.argv[1], sys.argv[2]
allowed = set()
for line in open(allowlist_path):
    line = line.split("#", 1)[0].strip()
    if line:
        allowed.add(line)
found, count = {}, 0
for path in glob.glob(out + "/SignalFlow*.symbols.json"):
    graph = json.load(open(path))
    for symbol in graph["symbols"]:
        count += 1
        declaration = "".join(f["spelling"] for f in symbol.get("declarationFragments", []))
        if "Unsafe" in declaration:
            found[".".join(symbol["pathComponents"])] = " ".join(declaration.split())
if count == 0:
    sys.exit("check-public-api: the symbol graph is empty (extraction failed?)")
offending = sorted(name for name in found if name not in allowed)
for name in offending:
    print(f"check-public-api: public SignalFlow declaration with an unsafe pointer: {name}: {found[name]}", file=sys.stderr)
for name in sorted(allowed - set(found)):
    print(f"check-public-api: note: allowlisted {name} no longer has an unsafe pointer: remove it from {allowlist_path}")
if offending:
    sys.exit(1)
print(f"check-public-api: {count} public SignalFlow symbols, none with an unsafe pointer"
      + (f" ({len(found)} allowlisted)" if found else ""))
PY
