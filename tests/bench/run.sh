#!/usr/bin/env bash
# tests/bench/run.sh — smoke test of the benchmark suite for `make test`: it
# runs bench/run.sh in its quickest form (N = 1000 items, one run, 10 idle
# nodes, no callgrind, no Go, no sweep, no compile-side figures; output in
# build/bench-smoke so the last real results stay untouched), which generates,
# compiles and runs every benchmark graph and the fused baseline and checks
# each run's sum and delivery count.  Prints "PASS bench_CASE" or
# "FAIL bench_CASE" per benchmark; measures nothing.  First, the golden test of
# the before/after report: bench/compare.sh on the two hand-made results files
# of tests/bench/compare/ must print expected.md byte for byte (a case only on
# one side, a target met exactly at its limit, one missed by one byte or 0.2 %,
# one not measured), and refuse a file that is not a results file.  Takes a few
# seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
gold=tests/bench/compare
if got=$(bash bench/compare.sh "$gold/before.tsv" "$gold/after.tsv" 2>&1) &&
   [ "$got" = "$(cat "$gold/expected.md")" ]; then
    echo "PASS bench_compare_golden"
else
    echo "FAIL bench_compare_golden"
    diff <(printf '%s\n' "$got") "$gold/expected.md" | head -n 20 | sed 's/^/    /' || true
fi
if err=$(bash bench/compare.sh "$gold/before.tsv" "$gold/expected.md" 2>&1); then
    echo "FAIL bench_compare_refuses_non_results"
    echo "    exit 0 on expected.md as AFTER"
elif [ "$err" = "$gold/expected.md: not a results file of bench/run.sh (bad header)" ]; then
    echo "PASS bench_compare_refuses_non_results"
else
    echo "FAIL bench_compare_refuses_non_results"
    printf '%s\n' "$err" | sed 's/^/    /'
fi
out=build/bench-smoke
rm -rf "$out/runs.log"
log=$(BENCH_OUT=$out BENCH_QUICK=1 BENCH_N=1000 BENCH_RUNS=1 BENCH_CG_N=0 BENCH_GO=0 \
      BENCH_IDLE=10 BENCH_SWEEP=0 BENCH_COMPILE=0 bash bench/run.sh 2>&1) && rc=0 || rc=$?
cases="chain8_q1 chain8_q16 chain8_q1024 chain8_q10000 fanout4_q16 fanout4_q1024 fanin4_q1024
       tasks8_q16 idle10_q1024 chain8_b64_q16 chain8_b1024_q16 chain1000_q16
       fused_chain8 fused_chain1000 fused_fanout4 fused_fanin4"
for c in $cases; do
    if [ -f "$out/runs.log" ] && grep -q "^case=$c .* check=ok$" "$out/runs.log"; then
        echo "PASS bench_$c"
    else
        echo "FAIL bench_$c"
        printf '%s\n' "$log" | grep -v '^bench: \(building\|built\|timing\|timed\)' | tail -n 15 | sed 's/^/    /'
    fi
done
# the static-memory case of issue 12 ran (its graphs checked their sums) and
# gave a per-node figure
if [ -f "$out/results.tsv" ] &&
   awk -F'\t' '$2 == "int_node_default" && $3 == "bytes" && $4 > 0 { ok = 1 } END { exit !ok }' "$out/results.tsv"; then
    echo "PASS bench_int_node_memory"
else
    echo "FAIL bench_int_node_memory"
fi
[ "$rc" -eq 0 ] || { echo "FAIL bench_run (bench/run.sh exit $rc)"; exit 1; }
echo "PASS bench_run"
