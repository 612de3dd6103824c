#!/usr/bin/env bash
# tests/yield/run.sh — how AGDF_YIELD builds its item (docs/runtime.md §2,
# bursts and windows, and §3): agdfc emits AGDF__SET, which stores each
# argument into its member of the destination's slot (AGDF__PUT_SET) instead
# of copying a compound literal.  items.agdf yields 1 KiB items changed by an
# in-place and by a copied parameter, and a tuple into a queue of one
# (agdf_out, parks), straight into it when it is empty (AGDF__ONE), by a body
# that, holding one item itself, walks no window; the output, built with gcc and with clang under -Werror
# -Wpedantic, must match items.expected, whose last line counts the item
# expressions' side effects (one per yield).  A yield with too few values
# does not compile.  On x86-64, the in-place node's body must hold at most
# two 1 KiB copies (one per path: the slot, agdf_out; a compound literal made
# it three).  wake.agdf: a put whose item expression wakes a task keeps the
# reference's order of wake-ups.  Budget: about 4 s.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

SUITE=yield
. tests/check.sh               # check NAME FILE-WITH-DETAILS: PASS when empty

agdfc_main "$tmp/items.c" tests/yield/items.agdf || exit 0
{
    grep -q '^#define AGDF_YIELD(...) AGDF__PUT_SET(agdf_w, agdf_o, AGDF__OUT_T, AGDF__SET(__VA_ARGS__))$' \
        "$tmp/items.c" || echo "AGDF_YIELD does not go through AGDF__PUT_SET"
    grep -q '^#define AGDF__SET(agdf_a0, agdf_a1) (agdf_p->v0 = (agdf_a0), agdf_p->v1 = (agdf_a1))$' \
        "$tmp/items.c" || echo "pair's AGDF__SET does not store member by member"
    # A node whose one destination holds one item puts into it straight
    # (AGDF__ONE 1 in its body only); one that also holds one item itself
    # walks agdf_io with no window copy.
    ones=$(awk '/^static int / { f = $3; sub(/\(.*/, "", f) } /^#define AGDF__ONE 1$/ { print f }' \
        "$tmp/items.c" | tr '\n' ' ')
    [ "$ones" = "yl__copied_body yl__pair_body " ] ||
        echo "AGDF__ONE 1 in: '$ones', expected the bodies of copied and pair"
    direct=$(awk '/^static int / { f = $3; sub(/\(.*/, "", f) } /^#define agdf_w \(\*agdf_o\)$/ { print f }' \
        "$tmp/items.c" | tr '\n' ' ')
    [ "$direct" = "yl__pair_body yl__sink_body " ] ||
        echo "bodies that walk agdf_io itself: '$direct', expected pair (a queue of one, into a queue of one) and sink (a queue of one, no yields)"
    # A queue of one never grants a window: that body ends with its one item.
    walks=$(awk '/^static int / { f = $3; sub(/\(.*/, "", f) } /^agdf_next:;$/ { print f }' \
        "$tmp/items.c" | tr '\n' ' ')
    [ "$walks" = "yl__src_body yl__inplace_body yl__copied_body " ] ||
        echo "bodies that walk a window: '$walks', expected those of src, inplace and copied"
} >"$tmp/decl"
check declarations "$tmp/decl"

for cc in gcc clang; do
    : >"$tmp/$cc.err"
    if ! command -v $cc >/dev/null 2>&1; then
        echo "$cc not found (bash .ci/run installs it)" >"$tmp/$cc.err"
    elif $cc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I"$root/runtime" "$tmp/items.c" \
            "$root/lib/libagdf.a" -lpthread -o "$tmp/items.$cc" 2>"$tmp/$cc.err"; then
        "$tmp/items.$cc" >"$tmp/out.$cc" 2>&1
        echo "exit $?" >>"$tmp/out.$cc"
        diff tests/yield/items.expected "$tmp/out.$cc" >"$tmp/$cc.err" 2>&1
    fi
    check "output-$cc" "$tmp/$cc.err"
done

# A put whose item expression wakes a task (a push into an open input) and
# that wakes a consumer itself: the item is computed first, so the input's
# task runs first (agdf__put_slot opens no window before the item is built
# while an input is open).  wake.agdf has its own main.
: >"$tmp/wake"
if ! bin/agdfc -o "$tmp/wake.c" tests/yield/wake.agdf 2>"$tmp/wake"; then :
elif gcc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I"$root/runtime" "$tmp/wake.c" \
        "$root/lib/libagdf.a" -lpthread -o "$tmp/wake.bin" 2>"$tmp/wake"; then
    "$tmp/wake.bin" >"$tmp/wake.out" 2>&1
    diff tests/yield/wake.expected "$tmp/wake.out" >"$tmp/wake" 2>&1
fi
check wake-order "$tmp/wake"

# One argument per output: a tuple yield given one value is the C compiler's
# error at the yield's line (a compound literal filled the rest with zeros).
printf 'graph ar;\nnode a() -> (int, long) {\n    AGDF_YIELD(1);\n}\nnode b(int x, long y) { (void)x; (void)y; }\na -> b;\n' \
    >"$tmp/ar.agdf"
: >"$tmp/arity"
if ! bin/agdfc -o "$tmp/ar.c" "$tmp/ar.agdf" 2>"$tmp/arity"; then :
elif gcc -std=c99 -I"$root/runtime" -I"$tmp" -c "$tmp/ar.c" -o "$tmp/ar.o" 2>"$tmp/ar.err"; then
    echo "AGDF_YIELD(1) of an (int, long) node compiled" >"$tmp/arity"
else
    grep -q 'ar\.agdf:3:.*error: .*AGDF__SET' "$tmp/ar.err" ||
        { echo "no error at ar.agdf:3:"; cat "$tmp/ar.err"; } >"$tmp/arity"
fi
check arity "$tmp/arity"

# One copy per path of a 1 KiB item: count block copies in the body's
# assembly (x86-64, where CI runs; elsewhere the output checks stand alone).
if [ "$(uname -m)" = x86_64 ]; then
    : >"$tmp/copies"
    gcc -std=c99 -O2 -I"$root/runtime" -I"$tmp" -S -o "$tmp/items.s" "$tmp/items.c"
    n=$(awk '/^yl__inplace_body:/,/\.size[ \t]+yl__inplace_body,/' "$tmp/items.s" |
        grep -cE 'rep movs|call[ \t]+_*mem(cpy|move)')
    [ "$n" -ge 1 ] && [ "$n" -le 2 ] ||
        echo "yl__inplace_body has $n block copies, expected 1 or 2 (one per path)" >"$tmp/copies"
    check copies "$tmp/copies"
fi
