#!/usr/bin/env bash
# tests/cli/run.sh — the agdfc command line: options, exit statuses (0 ok,
# 1 input errors, 2 usage/I-O errors), standard input, default output names,
# the header written beside -o FILE.c, and outputs left untouched on errors.
# Uses bin/agdfc-san (ASan/UBSan) when it exists.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
agdfc=$root/bin/agdfc-san
[ -x "$agdfc" ] || agdfc=$root/bin/agdfc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
good=$root/tests/emit/etl.agdf

check() {                   # check NAME EXPECTED-STATUS COMMAND...
    local name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc -eq "$want" ]; then echo "PASS cli/$name"
    else
        echo "FAIL cli/$name"
        echo "    exit status $rc, expected $want"
        head -5 "$tmp/err" | sed 's/^/    /'
    fi
}

check help 0 "$agdfc" --help
grep -q '^usage: agdfc' "$tmp/out" && echo "PASS cli/help-text" || echo "FAIL cli/help-text"
check version 0 "$agdfc" --version
grep -q '^agdfc [0-9]' "$tmp/out" && echo "PASS cli/version-text" || echo "FAIL cli/version-text"
check no-input 2 "$agdfc"
check unknown-option 2 "$agdfc" --frobnicate "$good"
check unknown-emit 2 "$agdfc" --emit=pdf "$good"
check two-inputs 2 "$agdfc" "$good" "$good"
check missing-file 2 "$agdfc" "$tmp/nope.agdf"
grep -q "cannot open" "$tmp/err" && echo "PASS cli/missing-file-message" || echo "FAIL cli/missing-file-message"
check input-error 1 "$agdfc" --emit=json "$root/tests/diagnostics/cycle.agdf"
check stdin 0 sh -c "\"$agdfc\" --emit=dot - <\"$good\""
grep -q '^digraph "etl"' "$tmp/out" && echo "PASS cli/stdin-output" || echo "FAIL cli/stdin-output"
printf 'node a() [max_tasks = 0];\n' >"$tmp/bad.agdf"
check stdin-error-path 1 sh -c "\"$agdfc\" --emit=json - <\"$tmp/bad.agdf\""
grep -q '^<stdin>:1:23: error' "$tmp/err" && echo "PASS cli/stdin-error-path-text" \
    || echo "FAIL cli/stdin-error-path-text"
check write-unwritable 2 "$agdfc" --emit=json -o "$tmp/no/such/dir/x.json" "$good"

# --emit=c: NAME.c and NAME.h in the current directory; -o X.c adds X.h.
mkdir -p "$tmp/c1" "$tmp/c2"
check emit-c-default 0 sh -c "cd \"$tmp/c1\" && \"$agdfc\" \"$good\""
[ -f "$tmp/c1/etl.c" ] && [ -f "$tmp/c1/etl.h" ] && echo "PASS cli/emit-c-default-files" \
    || echo "FAIL cli/emit-c-default-files"
check emit-c-o 0 "$agdfc" -o "$tmp/c2/out.c" "$good"
[ -f "$tmp/c2/out.c" ] && [ -f "$tmp/c2/out.h" ] && echo "PASS cli/emit-c-o-files" \
    || echo "FAIL cli/emit-c-o-files"
grep -q 'out\.h' "$tmp/c2/out.c" && echo "PASS cli/emit-c-includes-header" \
    || echo "FAIL cli/emit-c-includes-header"
[ "$(ls "$tmp/c2" | wc -l)" -eq 2 ] && echo "PASS cli/no-temporary-left" \
    || echo "FAIL cli/no-temporary-left"
printf 'old\n' >"$tmp/c2/out.c"
check emit-c-error 1 "$agdfc" -o "$tmp/c2/out.c" "$tmp/bad.agdf"
[ "$(cat "$tmp/c2/out.c")" = old ] && echo "PASS cli/emit-c-error-keeps-file" \
    || echo "FAIL cli/emit-c-error-keeps-file"
