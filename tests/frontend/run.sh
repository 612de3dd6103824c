#!/usr/bin/env bash
# tests/frontend/run.sh — agdfc against hostile input (docs/diagnostics.md):
# a binary file is refused at once, a line of garbage is one error, the
# error limit stops a flood (-ferror-limit / --error-limit), a graph too big
# to link fails to compile with a named check, preprocessor lines in bodies
# reach the C compiler unchanged and at their .agdf lines, and the C back end
# is linear in the number of distinct item types.  Budget: about 5 s.
# One line per check: "PASS frontend/NAME" or "FAIL frontend/NAME" + details.
set -u
cd "$(dirname "$0")/../.."
san=bin/agdfc-san
[ -x "$san" ] || san=bin/agdfc
fast=bin/agdfc                     # timings: the optimised build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}
CFLAGS99="-std=c99 -Wall -Wextra -Wpedantic -Werror -Iruntime -I$tmp -fsyntax-only"

pass() { echo "PASS frontend/$1"; }
fail() { echo "FAIL frontend/$1"; shift; for l in "$@"; do echo "    $l"; done; }
ok() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name" "$(head -c 600 "$tmp/err")"; fi; }
# cpu CMD...: runs CMD (stdout dropped, stderr to $tmp/err); rc is its status
# and cpu_s its CPU time (user + sys), which a loaded machine barely changes
# (wall time on a shared machine did: these are complexity checks, not timings).
cpu() {
    local TIMEFORMAT='%3U + %3S' t
    t=$( { time "$@" >/dev/null 2>"$tmp/err"; } 2>&1 ); rc=$?
    cpu_s=$(echo "$t" | tail -n 1 | bc)
}
under() { [ "$(echo "$cpu_s < $1" | bc)" -eq 1 ]; }   # under SECONDS: the last cpu run

# A binary file: one error, exit 1, well under a second.
head -c 3000000 /dev/urandom >"$tmp/bin.agdf"
cpu "$fast" --emit=json -o /dev/null "$tmp/bin.agdf"
ok binary-refused test $rc -eq 1 -a "$(wc -l <"$tmp/err")" -eq 1
ok binary-message grep -q 'error: file is not text' "$tmp/err"
ok binary-fast under 1

# 1,000 stray bytes on one line: one error, its line cut around the caret.
{ echo 'node a() { }'; head -c 1000 /dev/zero | tr '\0' '@'; echo; } >"$tmp/stray.agdf"
"$san" --emit=json -o /dev/null "$tmp/stray.agdf" 2>"$tmp/err"
ok stray-run-one-error test "$(grep -c 'error:' "$tmp/err")" -eq 1
ok stray-run-short test "$(wc -c <"$tmp/err")" -lt 500

# 10,000 bad statements: the default limit stops at 20 errors, quickly;
# -ferror-limit=0 shows them all; --error-limit=N is the same option.
for i in $(seq 1 10000); do echo "a -> -> b$i;"; done >"$tmp/flood.agdf"
cpu "$fast" --emit=json -o /dev/null "$tmp/flood.agdf"
ok limit-default test $rc -eq 1 -a "$(grep -c ': error:' "$tmp/err")" -eq 20
ok limit-final-lines sh -c "tail -2 '$tmp/err' | head -1 | grep -q 'too many errors emitted, stopping now (use -ferror-limit=0 to see all)' && tail -1 '$tmp/err' | grep -qx '20 errors generated.'"
ok limit-fast under 1
"$fast" -ferror-limit=0 --emit=json -o /dev/null "$tmp/flood.agdf" 2>"$tmp/err"
ok limit-zero-all test "$(grep -c ': error:' "$tmp/err")" -eq 10000
"$san" --error-limit=3 --emit=json -o /dev/null "$tmp/flood.agdf" 2>"$tmp/err"
ok limit-long-option test "$(grep -c ': error:' "$tmp/err")" -eq 3
"$san" -ferror-limit=lots "$tmp/flood.agdf" 2>"$tmp/err"
ok limit-bad-value test $? -eq 2

# The graph struct is checked against AGDF_GRAPH_MAX_BYTES by the C compiler
# (agdfc cannot know sizeof blob); raising the limit is the way out.
cat >"$tmp/big.agdf" <<'AGDF'
%header{
typedef struct { char b[128]; } blob;
%}
node a() -> blob { blob x = {{0}}; AGDF_YIELD(x); }
node b(blob x) [queue_size = 16777216] { (void)x; }
a -> b;
AGDF
"$san" -o "$tmp/big.c" "$tmp/big.agdf" 2>/dev/null
$CC $CFLAGS99 "$tmp/big.c" 2>"$tmp/err"
ok size-check-fails grep -q 'big_graph_struct_exceeds_AGDF_GRAPH_MAX_BYTES' "$tmp/err"
ok size-check-raised $CC $CFLAGS99 -DAGDF_GRAPH_MAX_BYTES=4294967296u "$tmp/big.c"

# Preprocessor lines in a body and a state block: an #if 0 group with a
# lone brace and an apostrophe, an #else branch, a continued #define.
cat >"$tmp/pp.agdf" <<'AGDF'
node a() -> int state {
#if 0
    int broken {;
#endif
    int n;
} {
#if 0
    if (x) {   /* don't */
#endif
#ifdef AGDF_NOT_DEFINED
    if (self->n) {
#else
    if (!self->n) {
#endif
        self->n = 1;
    }
#define TWO '{' + \
    0
    AGDF_YIELD(TWO);
}
node b(int x) { (void)x; }
a -> b;
AGDF
"$san" -o "$tmp/pp.c" "$tmp/pp.agdf" 2>"$tmp/err"
ok pp-accepted test $? -eq 0
ok pp-compiles-gcc gcc $CFLAGS99 "$tmp/pp.c"
ok pp-compiles-clang clang $CFLAGS99 "$tmp/pp.c"
# #line: an #error at .agdf line 3 is reported there by the C compiler.
sed 's/^    int broken {;$/#error at-line-3 {/; 0,/^#if 0$/s//#if 1/' "$tmp/pp.agdf" >"$tmp/pl.agdf"
"$san" -o "$tmp/pl.c" "$tmp/pl.agdf" 2>/dev/null
$CC $CFLAGS99 "$tmp/pl.c" 2>"$tmp/err"
ok pp-line-mapping grep -q 'pl.agdf:3:.*at-line-3' "$tmp/err"

# Distinct item types are interned in a hash map: 40,000 nodes with their own
# type each compile in well under 5 s (a linear scan took ~18 s).
bash bench/gen_frontend.sh types 40000 >"$tmp/types.agdf"
cpu "$fast" -o "$tmp/types.c" "$tmp/types.agdf"
ok types-linear sh -c "[ $rc -eq 0 ] && [ \"\$(echo '$cpu_s < 5' | bc)\" -eq 1 ]"
