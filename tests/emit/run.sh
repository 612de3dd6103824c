#!/usr/bin/env bash
# tests/emit/run.sh — golden tests for `agdfc --emit=dot|mermaid|json`: every
# tests/emit/NAME.agdf is compiled from the repository root (so the JSON's
# "source" is "tests/emit/NAME.agdf") and the output must equal NAME.dot,
# NAME.mmd and NAME.json byte for byte, with exit status 0; the JSON must also
# parse (python3, when available).  Also checks that -o writes the same bytes
# and that a failed compilation leaves an existing output file untouched.
# Uses bin/agdfc-san (ASan/UBSan) when it exists.
#   bash tests/emit/run.sh --update   rewrites the expected files.
set -u
cd "$(dirname "$0")/../.."
agdfc=bin/agdfc-san
[ -x "$agdfc" ] || agdfc=bin/agdfc
update=0
[ "${1:-}" = "--update" ] && update=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in tests/emit/*.agdf; do
    name=$(basename "$f" .agdf)
    for kind in dot mermaid json; do
        ext=$kind
        [ $kind = mermaid ] && ext=mmd
        expected="tests/emit/$name.$ext"
        "$agdfc" --emit=$kind "$f" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        [ $update -eq 1 ] && cp "$tmp/out" "$expected"
        if [ $rc -eq 0 ] && cmp -s "$tmp/out" "$expected"; then
            echo "PASS emit/$name.$ext"
        else
            echo "FAIL emit/$name.$ext"
            echo "    exit status $rc"
            sed 's/^/    /' "$tmp/err" | head -10
            diff "$expected" "$tmp/out" 2>&1 | head -20 | sed 's/^/    /'
        fi
    done
    if command -v python3 >/dev/null 2>&1; then
        if python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' \
                "tests/emit/$name.json" 2>"$tmp/err"; then
            echo "PASS emit/$name.json-parses"
        else
            echo "FAIL emit/$name.json-parses"
            sed 's/^/    /' "$tmp/err"
        fi
    fi
done

# -o writes the same bytes as standard output.
"$agdfc" --emit=json -o "$tmp/o.json" tests/emit/etl.agdf 2>/dev/null
if cmp -s "$tmp/o.json" tests/emit/etl.json; then echo "PASS emit/dash-o"
else echo "FAIL emit/dash-o"; fi

# An error leaves an existing output untouched and creates no temporary file.
printf 'keep me\n' >"$tmp/keep.json"
printf 'node a() [max_tasks = 0];\n' >"$tmp/bad.agdf"
"$agdfc" --emit=json -o "$tmp/keep.json" "$tmp/bad.agdf" 2>/dev/null
rc=$?
if [ $rc -eq 1 ] && [ "$(cat "$tmp/keep.json")" = "keep me" ] \
   && [ "$(ls "$tmp" | grep -c tmp)" -eq 0 ]; then
    echo "PASS emit/error-keeps-output"
else
    echo "FAIL emit/error-keeps-output"
    echo "    exit status $rc; files: $(ls "$tmp")"
fi
