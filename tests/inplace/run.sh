#!/usr/bin/env bash
# tests/inplace/run.sh — parameters read in place in the queue slot
# (docs/language.md, section 8): params.agdf assigns to in-place parameters
# of a 1 KiB-item node with two tasks (v rewritten: kv's member v in the
# %header block is no macro), suspends (a pass, a sleep), and yields
# them, so what arrives shows that each change survived its suspension and
# that the item was copied out of its slot whole; a parameter that is also
# a declared member name is copied, so its assignment is lost at the pass;
# one used as a member too (v.v) is in place, its uses rewritten in the
# body's text, unless a use is in a macro's arguments (SHOW stringifies it:
# copied, it still prints "v").  Checks the generated C declares them that
# way, then builds with gcc under -Werror and compares the output with
# params.expected.  Budget: about 2 s.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

SUITE=inplace
. tests/check.sh               # check NAME FILE-WITH-DETAILS: PASS when empty

agdfc_main "$tmp/params.c" tests/inplace/params.agdf || exit 0
{
    grep -qF '(agdf_i->v0) += 1000;' "$tmp/params.c" || echo "kept: v is not read in place"
    grep -q '^#define b (agdf_i->v1)$' "$tmp/params.c" || echo "kept: b is not read in place"
    grep -q '^    long v = agdf_i->v0;$' "$tmp/params.c" || echo "lost: v is not a copy"
    grep -qF 'AGDF_YIELD(((agdf_i->v0).v++, (agdf_i->v0)));' "$tmp/params.c" ||
        echo "bump: the uses of v are not rewritten"
    grep -q '^    kv v = agdf_i->v0;$' "$tmp/params.c" || echo "show: v is not a copy"
} >"$tmp/decl"
check declarations "$tmp/decl"

if ! cc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I"$root/runtime" "$tmp/params.c" \
        "$root/lib/libagdf.a" -lpthread -o "$tmp/params" 2>"$tmp/err"; then
    check build "$tmp/err"
    exit 0
fi
"$tmp/params" --virtual-time >"$tmp/out" 2>"$tmp/err"
echo "exit $?" >>"$tmp/out"
diff tests/inplace/params.expected "$tmp/out" >"$tmp/diff" 2>&1
check output "$tmp/diff"
