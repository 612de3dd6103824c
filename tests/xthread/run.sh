#!/usr/bin/env bash
# tests/xthread/run.sh — smoke test of the cross-thread baselines
# (bench/xthread.sh) for `make test`: runs the script in its smallest form
# (20,000 items per hop, 200 per CPU-bound run of 50 ns stages, one run;
# output in build/xthread-smoke) and checks that it exits 0 (every run's sum
# right, every CPU-bound case giving the one-thread chain's sum) and that each
# case has its wall time in xthread.tsv, with cpu_total for the cases that
# give it, and the speed-up rows.  The Go cases are expected when go is
# installed (the script skips them otherwise).  Then the sum check itself:
# `xthread par2` must print the same sum as `xthread chain1`, and a wrong
# argument is refused.  Measures nothing.  Budget: a few seconds.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=build/xthread-smoke
rm -rf "$out"
log=$(XT_OUT=$out XT_N=20000 XT_CHAIN_N=200 XT_RUNS=1 XT_STAGE_NS=50 bash bench/xthread.sh 2>&1)
rc=$?
if [ $rc = 0 ]; then
    echo "PASS xthread_script"
else
    echo "FAIL xthread_script"
    printf '%s\n' "$log" | tail -n 15 | sed 's/^/    /'
fi
tsv=$out/xthread.tsv
has() {   # CASE METRIC: a number in the tsv
    [ -f "$tsv" ] && awk -F'\t' -v c="$1" -v k="$2" '$1 == c && $2 == k && $3 ~ /^[0-9.]+$/ { f = 1 } END { exit !f }' "$tsv"
}
cases="ring_q16_b1 ring_q16_b64 plain_q16 ring_q1024_b1 ring_q1024_b64 plain_q1024 chain_1thread
       chain_2threads_q16 chain_2threads_q1024 par_1thread par_2workers_q16 par_2workers_q1024"
total="par_2workers_q16 par_2workers_q1024"
rows="speedup_wall_q16 speedup_cpu_q1024 speedup_wall_par_q16 speedup_cpu_par_q16 speedup_cpu_par_q1024"
if command -v go >/dev/null 2>&1; then
    for s in chain par; do
        for p in 1 2; do
            for q in 16 1024; do
                cases="$cases go_${s}_p${p}_q$q"
                total="$total go_${s}_p${p}_q$q"
            done
        done
        rows="$rows go_speedup_wall_${s}_q16 go_speedup_wall_${s}_q1024"
    done
    cases="$cases go_q16 go_q1024"
fi
for c in $cases; do
    if has "$c" ns_per_item; then echo "PASS xthread_$c"; else echo "FAIL xthread_$c"; echo "    no ns_per_item in $tsv"; fi
done
for c in $total; do
    if has "$c" cpu_total; then echo "PASS xthread_${c}_cpu_total"; else echo "FAIL xthread_${c}_cpu_total"; echo "    no cpu_total in $tsv"; fi
done
for r in $rows; do
    if has xthread "$r"; then echo "PASS xthread_row_$r"; else echo "FAIL xthread_row_$r"; echo "    no row xthread $r in $tsv"; fi
done

x=$out/bin/xthread
sum() { "$x" "$@" | sed -n 's/.* sum=\([0-9]*\) ok=1 .*/\1/p'; }
if [ -x "$x" ] && a=$(sum chain1 30 100) && b=$(sum par2 16 30 100) && [ -n "$a" ] && [ "$a" = "$b" ]; then
    echo "PASS xthread_par2_sum"
else
    echo "FAIL xthread_par2_sum"
    echo "    chain1: ${a:-?}  par2: ${b:-?}"
fi
if [ -x "$x" ] && ! "$x" par2 0 30 100 >/dev/null 2>&1 && ! "$x" par2 5000 30 100 >/dev/null 2>&1; then
    echo "PASS xthread_par2_bad_capacity"
else
    echo "FAIL xthread_par2_bad_capacity"
    echo "    capacities 0 and 5000 (above 4096) must be refused"
fi
