#!/usr/bin/env bash
# bench/frontend.sh — front-end scale figures (not part of make test):
#   1. a generated program of 100,000 nodes and ~200,000 edges is read,
#      checked and written as JSON (agdfc --emit=json -o /dev/null); the target
#      is under 1 second;
#   2. a 1,000,000-node program whose edges are ONE chain statement compiles
#      without crashing (no recursion whose depth follows the graph);
#   3. a 100,000-node program where every node has its own item type is
#      compiled to C (agdfc -o X.c): the item table is a hash map, so this is
#      linear (a linear scan took over 2 minutes); the target is under 5 s.
# Prints one line per figure; exit status 1 when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
agdfc=bin/agdfc
out=bench/out
mkdir -p "$out"
status=0

bash bench/gen_frontend.sh dag 100000 >"$out/dag100k.agdf"
edges=$(grep -c '^n[0-9]* -> ' "$out/dag100k.agdf")
# Wall-clock time, best of 5 (the machine may be busy), and the CPU time of
# that run (user + system) from bash's `time`.
best=
for run in 1 2 3 4 5; do
    TIMEFORMAT='%R %U %S'
    t=$( { time "$agdfc" --emit=json -o /dev/null "$out/dag100k.agdf" >/dev/null; } 2>&1 )
    set -- $t
    if [ -z "$best" ] || [ "$(echo "$1 < $best" | bc)" -eq 1 ]; then
        best=$1
        cpu=$(echo "$2 + $3" | bc)
    fi
done
verdict=ok
[ "$(echo "$best < 1" | bc)" -eq 1 ] || { verdict="OVER 1 s"; status=1; }
printf 'frontend: 100000 nodes, %d edges, parse+check+json: %.3f s wall (best of 5), %.3f s CPU %s\n' \
    "$edges" "$best" "$cpu" "$verdict"

bash bench/gen_frontend.sh chain 1000000 >"$out/chain1m.agdf"
t0=$(date +%s.%N)
if "$agdfc" --emit=json -o /dev/null "$out/chain1m.agdf"; then rc=0; else rc=$?; fi
t1=$(date +%s.%N)
verdict=ok
[ $rc -eq 0 ] || { verdict="FAILED (exit $rc)"; status=1; }
printf 'frontend: 1000000-node single-statement chain: %.3f s, exit %d %s\n' \
    "$(echo "$t1 - $t0" | bc)" "$rc" "$verdict"
bash bench/gen_frontend.sh types 100000 >"$out/types100k.agdf"
t0=$(date +%s.%N)
if "$agdfc" -o "$out/types100k.c" "$out/types100k.agdf"; then rc=0; else rc=$?; fi
t1=$(date +%s.%N)
verdict=ok
[ $rc -eq 0 ] && [ "$(echo "$t1 - $t0 < 5" | bc)" -eq 1 ] || { verdict="OVER 5 s or FAILED"; status=1; }
printf 'frontend: 100000 nodes, 100000 distinct item types, C output: %.3f s, exit %d %s\n' \
    "$(echo "$t1 - $t0" | bc)" "$rc" "$verdict"
rm -f "$out/types100k.c" "$out/types100k.h"
exit $status
