#!/usr/bin/env bash
# tests/handoff/run.sh — hand-off mode (graph attribute handoff = true,
# docs/language.md §3): a put into an empty one-slot queue whose consumer
# waits runs that consumer at once.  Two checks:
#   - the random graphs of tests/random, written in hand-off mode (RG_HANDOFF=1:
#     every queue_size 1), with its self-checks: every item delivered once per
#     edge (count and checksum), the statistics and --stats lines exact, halts
#     (nothing run after one), errors, max_tasks > 1, fan-out, fan-in, sleeps
#     under virtual time, termination;
#   - differential: bench/gen.sh's one-slot chains, in the default and in
#     hand-off mode, print the same sum and the same --stats lines (items and
#     statistics totals), for 1, 8 and 40 nodes (deeper than
#     AGDF__HANDOFF_DEPTH, so the plain put past it is crossed too).
#   - the generated C of a graph with the attribute differs from the same
#     graph's without it only by the mode's own lines (and the #line numbers
#     they shift).
# Budget: about 30 s on 2 cores (HANDOFF_GRAPHS random graphs, default 50).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

RG_HANDOFF=1 RANDOM_GRAPHS=${HANDOFF_GRAPHS:-50} RANDOM_SEED=${HANDOFF_SEED:-1} \
    bash tests/random/run.sh | sed 's/^\(PASS\|FAIL\) random\//\1 handoff\/random /'

T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-handoff.XXXXXX")
trap 'rm -rf "$T"' EXIT
# The sink prints every item: the sorted outputs and the --stats lines of the
# two modes must be the same.
for len in 2 8 40; do
    name="handoff/differential chain of $len"
    ok=1
    for mode in chain hchain; do
        bash bench/gen.sh "$mode" c "$len" 1 |
            sed -e 's/^long bench_n = 1;/#include <stdio.h>\nlong bench_n = 5000;/' \
                -e 's/{ bench_sum += v; }/{ bench_sum += v; printf("%ld\\n", v); }/' \
                >"$T/$mode.agdf" &&
            bin/agdfc --main "$T/$mode.agdf" -o "$T/$mode.c" 2>"$T/$mode.log" &&
            cc -std=c99 -O1 -Wall -Wextra -Wpedantic -Werror -Iruntime -o "$T/$mode" \
                "$T/$mode.c" lib/libagdf.a -lpthread 2>>"$T/$mode.log" &&
            "$T/$mode" --stats 2>&1 | sort >"$T/$mode.out" || ok=0
    done
    if [ $ok = 1 ] && grep -q "^INFO:agdf: sink - in=5000," "$T/chain.out" \
       && [ "$(grep -c '^[0-9]' "$T/chain.out")" = 5000 ] && cmp -s "$T/chain.out" "$T/hchain.out"; then
        echo "PASS $name"
    else
        echo "FAIL $name"
        { cat "$T/chain.log" "$T/hchain.log" 2>/dev/null; diff "$T/chain.out" "$T/hchain.out"; } |
            head -20 | sed 's/^/    /'
    fi
done

# The generated C: the same file name in two directories, so only the mode's
# lines may differ.
mkdir -p "$T/off" "$T/on"
bash bench/gen.sh chain g 8 1 >"$T/off/g.agdf"
bash bench/gen.sh hchain g 8 1 >"$T/on/g.agdf"
(cd "$T/off" && "$ROOT/bin/agdfc" g.agdf -o g.c) && (cd "$T/on" && "$ROOT/bin/agdfc" g.agdf -o g.c)
extra=$(diff "$T/off/g.c" "$T/on/g.c" | grep '^[<>]' | grep -v '^[<>] #line [0-9]* "g.c"$')
want='> #undef AGDF__HANDOFF
> #define AGDF__HANDOFF 1 /* graph attribute handoff = true */
> 
> #undef AGDF__HANDOFF
> #define AGDF__HANDOFF 0
>     g->agdf.handoff = 1;        /* graph attribute handoff = true */'
if [ "$extra" = "$want" ] && cmp -s "$T/off/g.h" "$T/on/g.h"; then
    echo "PASS handoff/generated-code-differs-by-the-mode-lines-only"
else
    echo "FAIL handoff/generated-code-differs-by-the-mode-lines-only"
    { echo "$extra"; diff "$T/off/g.h" "$T/on/g.h"; } | head -20 | sed 's/^/    /'
fi
