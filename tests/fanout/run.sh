#!/usr/bin/env bash
# tests/fanout/run.sh — yields to several destinations (docs/runtime.md §2,
# bursts and windows): once every destination has room and no consumer to
# wake, the runtime shares one window among them and agdfc's AGDF__FAN
# stores the item into each with no call.  fan.agdf mixes queue sizes,
# passes, a raise and 1 KiB items; its output with --stats, built with gcc
# and with clang under -Werror -Wpedantic, must match fan.expected, which
# the runtime from before the shared window printed (item-by-item order,
# exact counts, one evaluation per yield).  The emitted AGDF__FAN must store
# into every destination after the first, and be empty for a node one of
# whose destinations keeps no items.  Budget: about 3 s.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

SUITE=fanout
. tests/check.sh               # check NAME FILE-WITH-DETAILS: PASS when empty

agdfc_main "$tmp/fan.c" tests/fanout/fan.agdf || exit 0
# The macro of each body, from its #define to its `} while (0)` or one line.
fan_of() {
    awk -v node="$1" '
        $0 ~ "^static int fan__" node "_body\\(" { inbody = 1 }
        inbody && /^#define AGDF__FAN/ { on = 1 }
        on { print }
        on && (/while \(0\)$/ || !/\\$/) { exit }' "$tmp/fan.c"
}
{
    fan_of src >"$tmp/src.fan"
    for d in b c big; do
        grep -q "agdf_n\[fan_NODE_$d\]\.wout + agdf_f) = \*(p);" "$tmp/src.fan" ||
            echo "src's AGDF__FAN does not store into $d"
    done
    grep -q "fan_NODE_a\].wout + agdf_f" "$tmp/src.fan" && echo "src's AGDF__FAN stores into a twice"
    fan_of big | grep -q "fan_NODE_k2\]\.wout + agdf_f" || echo "big's AGDF__FAN does not store into k2"
    fan_of tock | grep -qx '#define AGDF__FAN(w, p) ((void)0)' ||
        echo "tock (tick keeps no items) has a shared-window AGDF__FAN"
} >"$tmp/decl"
check declarations "$tmp/decl"

for cc in gcc clang; do
    : >"$tmp/$cc.err"
    if ! command -v $cc >/dev/null 2>&1; then
        echo "$cc not found (bash .ci/run installs it)" >"$tmp/$cc.err"
    elif $cc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I"$root/runtime" "$tmp/fan.c" \
            "$root/lib/libagdf.a" -lpthread -o "$tmp/fan.$cc" 2>"$tmp/$cc.err"; then
        "$tmp/fan.$cc" --stats >"$tmp/out.$cc" 2>&1
        echo "exit $?" >>"$tmp/out.$cc"
        diff tests/fanout/fan.expected "$tmp/out.$cc" >"$tmp/$cc.err" 2>&1
    fi
    check "output-$cc" "$tmp/$cc.err"
done
