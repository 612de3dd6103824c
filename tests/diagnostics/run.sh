#!/usr/bin/env bash
# tests/diagnostics/run.sh — golden diagnostics: every tests/diagnostics/NAME.agdf
# is compiled (--emit=json to /dev/null, so only the front end speaks) from the
# repository root as "tests/diagnostics/NAME.agdf"; its standard error must equal
# NAME.stderr byte for byte and its exit status NAME.status.  Uses the ASan/UBSan
# build bin/agdfc-san when it exists, so a crash or a leak is a failure too.
# One line per file: "PASS diagnostics/NAME" or "FAIL diagnostics/NAME" + a diff.
#   bash tests/diagnostics/run.sh --update   rewrites the expected files.
set -u
cd "$(dirname "$0")/../.."
agdfc=bin/agdfc-san
[ -x "$agdfc" ] || agdfc=bin/agdfc
update=0
[ "${1:-}" = "--update" ] && update=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in tests/diagnostics/*.agdf; do
    name=$(basename "$f" .agdf)
    "$agdfc" --emit=json -o /dev/null "$f" 2>"$tmp/stderr" >/dev/null
    echo $? >"$tmp/status"
    if [ $update -eq 1 ]; then
        cp "$tmp/stderr" "tests/diagnostics/$name.stderr"
        cp "$tmp/status" "tests/diagnostics/$name.status"
    fi
    if cmp -s "$tmp/stderr" "tests/diagnostics/$name.stderr" \
       && cmp -s "$tmp/status" "tests/diagnostics/$name.status"; then
        echo "PASS diagnostics/$name"
    else
        echo "FAIL diagnostics/$name"
        echo "    exit status $(cat "$tmp/status"), expected $(cat "tests/diagnostics/$name.status" 2>/dev/null)"
        diff "tests/diagnostics/$name.stderr" "$tmp/stderr" 2>&1 | head -20 | sed 's/^/    /'
    fi
done
