#!/usr/bin/env bash
# tests/bench/run.sh — smoke test of the benchmark suite for `make test`: it
# runs bench/run.sh in its quickest form (N = 1000 items, one run, 10 idle
# nodes, no callgrind, no Go, no sweep, no compile-side figures; output in
# build/bench-smoke so the last real results stay untouched), which generates,
# compiles and runs every benchmark graph and the fused baseline and checks
# each run's sum and delivery count.  Prints "PASS bench_CASE" or
# "FAIL bench_CASE" per benchmark; measures nothing.  Takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/bench-smoke
rm -rf "$out/runs.log"
log=$(BENCH_OUT=$out BENCH_QUICK=1 BENCH_N=1000 BENCH_RUNS=1 BENCH_CG_N=0 BENCH_GO=0 \
      BENCH_IDLE=10 BENCH_SWEEP=0 BENCH_COMPILE=0 bash bench/run.sh 2>&1) && rc=0 || rc=$?
cases="chain8_q1 chain8_q16 chain8_q1024 chain8_q10000 fanout4_q1024 fanin4_q1024 tasks8_q16
       idle10_q1024 fused_chain8 fused_fanout4 fused_fanin4"
for c in $cases; do
    if [ -f "$out/runs.log" ] && grep -q "^case=$c .* check=ok$" "$out/runs.log"; then
        echo "PASS bench_$c"
    else
        echo "FAIL bench_$c"
        printf '%s\n' "$log" | grep -v '^bench: \(building\|built\|timing\|timed\)' | tail -n 15 | sed 's/^/    /'
    fi
done
[ "$rc" -eq 0 ] || { echo "FAIL bench_run (bench/run.sh exit $rc)"; exit 1; }
echo "PASS bench_run"
