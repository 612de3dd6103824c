#!/usr/bin/env bash
# tests/memory/run.sh — the static memory of a generated program (docs/runtime.md
# "Storage", docs/cli.md --memory): tests/memory/defaults.agdf is compiled with
# --main and built with -std=c99 -Werror; its --memory output must equal
# defaults.memory byte for byte (LP64 sizes), an int node with default
# attributes must take at most 48 KiB (49152 bytes: its queue, its task, no
# error records), and the parts must add up to the total.  Budget: 2 s.
#   bash tests/memory/run.sh --update   rewrites defaults.memory.
set -u
cd "$(dirname "$0")/../.."
T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-memory.XXXXXX")
trap 'rm -rf "$T"' EXIT
CC=${CC:-cc}

fail() { echo "FAIL $1"; sed 's/^/    /' | head -n 30; }

if ! bin/agdfc tests/memory/defaults.agdf --main -o "$T/defaults.c" > "$T/log" 2>&1 ||
   ! $CC -std=c99 -Wall -Wextra -Wpedantic -Werror -Iruntime -I"$T" "$T/defaults.c" \
        lib/libagdf.a -lpthread -o "$T/defaults" >> "$T/log" 2>&1; then
    fail memory/build < "$T/log"
    exit 0
fi
echo "PASS memory/build"

"$T/defaults" --memory > "$T/out" 2> "$T/err"
rc=$?
[ "${1:-}" = --update ] && cp "$T/out" tests/memory/defaults.memory
if [ $rc -eq 0 ] && [ ! -s "$T/err" ] && cmp -s "$T/out" tests/memory/defaults.memory; then
    echo "PASS memory/format"
else
    { echo "exit $rc"; cat "$T/err"; diff tests/memory/defaults.memory "$T/out"; } | fail memory/format
fi

sink=$(sed -n 's/^  node sink: \([0-9]*\) bytes.*/\1/p' "$T/out")
if [ -n "$sink" ] && [ "$sink" -le 49152 ]; then
    echo "PASS memory/int-node-defaults-48KiB"
else
    echo "node sink: '${sink}' bytes, want <= 49152" | fail memory/int-node-defaults-48KiB
fi

# total = runtime + errors + nodes (with padding), each from sizeof
if awk '/^graph /{t=$3} /^  runtime:/{s+=$2} /^  errors:/{s+=$2} /^  nodes:/{gsub(/\(/,"",$4); s+=$4}
        END { exit !(t > 0 && t == s) }' "$T/out"; then
    echo "PASS memory/parts-add-up"
else
    fail memory/parts-add-up < "$T/out"
fi

# --memory does not run the graph (nothing on stdout but the report, exit 0)
if "$T/defaults" --help | grep -q -- '--memory'; then
    echo "PASS memory/help"
else
    echo "--help does not list --memory" | fail memory/help
fi
