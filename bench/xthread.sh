#!/usr/bin/env bash
# bench/xthread.sh — the cross-thread benchmarks (issue 13's groundwork), run
# alone (`bash bench/xthread.sh`) or by `make bench`.  Builds bench/xthread.c
# with runtime/agdf_ring.c (cc -std=c99 -O2) and, when go is installed,
# bench/go/hop.go and bench/go/cpu.go; runs every case RUNS times round-robin
# (a slow moment of a shared machine spreads over all cases) and reports
# medians.  The cases (the first column of the tsv):
#   ring_q{16,1024}_b{1,64}  hop cost, ns per item carried from one thread to
#                  another through the agdf ring of capacity 16 / 1024,
#                  publishing 1 item at a time (b1) or up to 64 (b64);
#   plain_q{16,1024}  the same through a plain hand-written pthreads SPSC ring;
#   go_q{16,1024}  the same through a Go buffered channel (GOMAXPROCS=2);
#   chain_1thread  a CPU-bound 4-stage chain (each stage calibrated to
#                  STAGE_NS of CPU) on one thread;
#   chain_2threads_q{16,1024}  the chain split 2 + 2 over 2 threads joined by
#                  an agdf ring of capacity 16 / 1024;
#   par_1thread    a CPU-bound node whose work per item is the chain's four
#                  stages, on one thread (the same work as chain_1thread);
#   par_2workers_q{16,1024}  that node on 2 pthreads workers fed by one
#                  producer (the main thread) through one agdf ring of
#                  capacity 16 / 1024 per worker, bursts of up to 64 to
#                  whichever has room; each worker sums its results;
#   go_chain_p{1,2}_q{16,1024}  the chain in Go: 4 stage goroutines between a
#                  source goroutine and the main one, buffered channels of 16 /
#                  1024, GOMAXPROCS=1 / 2;
#   go_par_p{1,2}_q{16,1024}  the node in Go: a source goroutine, one channel
#                  of 16 / 1024, 2 worker goroutines; GOMAXPROCS=1 / 2.
# Metrics per case: ns_per_item (wall), cpu_producer and cpu_consumer (CPU ns
# per item of the sending and the receiving thread; for par_2workers the
# producer and the busier worker; for the one-thread cases cpu_consumer is
# the one thread), cpu_total (every thread of the process: par_2workers and
# the Go cases, whose goroutines have no CPU time of their own), and sum.
# Speed-ups (rows `xthread speedup_*`): one thread / two, from wall time and,
# for the C cases, from CPU time (the single thread's CPU against the larger
# of the busiest thread's and half the process's: what an idle 2-core machine
# would give); go_speedup_* are GOMAXPROCS=1 / GOMAXPROCS=2 (wall).
# Wall times on a loaded machine are inflated by other processes; CPU times
# much less: both are printed, with the load average before and after.  Every
# run checks its sum (every CPU-bound case must give chain_1thread's); exit
# status 1 if one fails.  Results: stdout and $OUT/xthread.tsv (case, metric,
# value, unit).
#
# Environment: XT_N [2000000] items per hop run; XT_CHAIN_N [50000] items per
# chain run; XT_RUNS [5]; XT_STAGE_NS [1000]; XT_GO [auto] 0: skip Go;
# XT_OUT [build/bench]; CC [cc].
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${XT_OUT:-build/bench}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
N=${XT_N:-2000000}
CN=${XT_CHAIN_N:-50000}
RUNS=${XT_RUNS:-5}
STAGE_NS=${XT_STAGE_NS:-1000}
CC=${CC:-cc}
mkdir -p "$OUT/bin" "$OUT/log"
RAW=$OUT/log/xthread.raw
TSV=$OUT/xthread.tsv
: > "$RAW"

$CC -std=c99 -O2 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror -Iruntime \
    -o "$OUT/bin/xthread" bench/xthread.c runtime/agdf_ring.c -lpthread
X=$OUT/bin/xthread
GO_NOTE="go not installed: Go baselines skipped"
GO_OK=0
gobuild() {   # NAME: bench/go/NAME.go -> $OUT/bin/goNAME
    HOME=$OUT/gohome GOCACHE=$OUT/gohome/cache GO111MODULE=off GOFLAGS= \
        go build -o "$OUT/bin/go$1" "bench/go/$1.go" 2>"$OUT/log/go$1.build"
}
if [ "${XT_GO:-auto}" != 0 ] && command -v go >/dev/null 2>&1; then
    mkdir -p "$OUT/gohome"
    if gobuild hop && gobuild cpu; then
        GO_OK=1; GO_NOTE=
    else
        GO_NOTE="go build failed (see $OUT/log/go*.build): Go baselines skipped"
    fi
fi
W=$("$X" calibrate "$STAGE_NS")

CASES=(
    "ring_q16_b1|$X ring 16 1 $N"
    "ring_q16_b64|$X ring 16 64 $N"
    "plain_q16|$X plain 16 $N"
    "ring_q1024_b1|$X ring 1024 1 $N"
    "ring_q1024_b64|$X ring 1024 64 $N"
    "plain_q1024|$X plain 1024 $N"
    "chain_1thread|$X chain1 $W $CN"
    "chain_2threads_q16|$X chain2 16 $W $CN"
    "chain_2threads_q1024|$X chain2 1024 $W $CN"
    "par_1thread|$X par1 $W $CN"
    "par_2workers_q16|$X par2 16 $W $CN"
    "par_2workers_q1024|$X par2 1024 $W $CN"
)
if [ $GO_OK = 1 ]; then
    CASES+=("go_q16|env GOMAXPROCS=2 $OUT/bin/gohop 16 $N" "go_q1024|env GOMAXPROCS=2 $OUT/bin/gohop 1024 $N")
    for shape in chain par; do
        for p in 1 2; do
            for q in 16 1024; do
                CASES+=("go_${shape}_p${p}_q$q|env GOMAXPROCS=$p $OUT/bin/gocpu $shape $W $q $CN")
            done
        done
    done
fi

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p"; }
LOAD0=$(load)
bad=0
for ((r = 1; r <= RUNS; r++)); do
    for c in "${CASES[@]}"; do
        name=${c%%|*}
        line=$(${c#*|}) || { echo "xthread: $name failed: $line" >&2; bad=1; continue; }
        [ "$(printf '%s' "$line" | field ok)" = 1 ] || { echo "xthread: $name: wrong sum: $line" >&2; bad=1; }
        for k in ns_per_item cpu_producer cpu_consumer cpu_total sum; do
            v=$(printf '%s' "$line" | field $k)
            [ -n "$v" ] && printf '%s\t%s\t%s\n' "$name" "$k" "$v" >> "$RAW"
        done
    done
done
LOAD1=$(load)

median() {   # CASE METRIC -> the median over the runs
    awk -F'\t' -v c="$1" -v k="$2" '$1 == c && $2 == k { print $3 }' "$RAW" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
s1=$(awk -F'\t' '$1 == "chain_1thread" && $2 == "sum" { print $3; exit }' "$RAW")
if [ -n "$s1" ]; then
    other=$(awk -F'\t' -v s="$s1" '$1 ~ /^(go_)?(chain|par)_/ && $2 == "sum" && $3 != s { print $1 }' "$RAW" | sort -u)
    [ -z "$other" ] || { echo "xthread: sum differs from chain_1thread's:" $other >&2; bad=1; }
fi

{
    printf 'xthread\tload_before\t%s\t-\nxthread\tload_after\t%s\t-\nxthread\tstage_rounds\t%s\t-\n' "$LOAD0" "$LOAD1" "$W"
    for c in "${CASES[@]}"; do
        name=${c%%|*}
        for k in ns_per_item cpu_producer cpu_consumer cpu_total; do
            v=$(median "$name" $k)
            [ -n "$v" ] && printf '%s\t%s\t%s\tns\n' "$name" "$k" "$v"
        done
    done
} > "$TSV"
get() { awk -F'\t' -v c="$1" -v k="$2" '$1 == c && $2 == k { print $3; exit }' "$TSV"; }

echo "cross-thread ring (bench/xthread.sh): medians of $RUNS runs, $N items per hop run, $CN per chain run"
echo "load average before: $LOAD0   after: $LOAD1   ($(nproc) CPUs)"
printf '%-20s %12s %14s %14s %14s\n' case "wall ns/item" "cpu ns/item P" "cpu ns/item C" "cpu total"
for c in "${CASES[@]}"; do
    name=${c%%|*}
    printf '%-20s %12s %14s %14s %14s\n' "$name" "$(get "$name" ns_per_item)" \
        "$(get "$name" cpu_producer || true)" "$(get "$name" cpu_consumer || true)" "$(get "$name" cpu_total || true)"
done
[ -n "$GO_NOTE" ] && echo "note: $GO_NOTE"
speedup() {   # Q -> "wall cpu": 1 thread / 2 threads over a ring of capacity Q
    local p c
    p=$(get "chain_2threads_q$1" cpu_producer); c=$(get "chain_2threads_q$1" cpu_consumer)
    echo "$(div "$(get chain_1thread ns_per_item)" "$(get "chain_2threads_q$1" ns_per_item)")" \
         "$(div "$(get chain_1thread cpu_consumer)" "$(awk -v a="$p" -v b="$c" 'BEGIN { print (a > b ? a : b) }')")"
}
echo "ratios (same run):"
for q in 16 1024; do
    echo "  plain SPSC / agdf ring b64, capacity $q (wall): $(div "$(get plain_q$q ns_per_item)" "$(get ring_q${q}_b64 ns_per_item)")"
    [ $GO_OK = 1 ] && echo "  Go channel / agdf ring b64, capacity $q (wall): $(div "$(get go_q$q ns_per_item)" "$(get ring_q${q}_b64 ns_per_item)")"
done
for q in 16 1024; do
    read -r sw sc <<< "$(speedup $q)"
    eval "sp_wall_$q=$sw sp_cpu_$q=$sc"
    echo "  4-stage chain, 1 thread / 2 threads, capacity $q: wall $sw, CPU (1 thread / busier of 2) $sc"
    printf 'xthread\tspeedup_wall_q%s\t%s\tx\nxthread\tspeedup_cpu_q%s\t%s\tx\n' "$q" "$sw" "$q" "$sc" >> "$TSV"
done
for q in 16 1024; do   # the 2-worker node: CPU bound = max(busiest thread, half of all threads)
    bound=$(awk -v p="$(get "par_2workers_q$q" cpu_producer)" -v c="$(get "par_2workers_q$q" cpu_consumer)" \
        -v t="$(get "par_2workers_q$q" cpu_total)" 'BEGIN { m = p > c ? p : c; if (t / 2 > m) m = t / 2; print m }')
    sw=$(div "$(get par_1thread ns_per_item)" "$(get "par_2workers_q$q" ns_per_item)")
    sc=$(div "$(get par_1thread cpu_consumer)" "$bound")
    echo "  2-worker node (pthreads), 1 thread / 2 workers, capacity $q: wall $sw, CPU $sc"
    printf 'xthread\tspeedup_wall_par_q%s\t%s\tx\nxthread\tspeedup_cpu_par_q%s\t%s\tx\n' "$q" "$sw" "$q" "$sc" >> "$TSV"
done
if [ $GO_OK = 1 ]; then
    for shape in chain par; do
        for q in 16 1024; do
            sw=$(div "$(get "go_${shape}_p1_q$q" ns_per_item)" "$(get "go_${shape}_p2_q$q" ns_per_item)")
            echo "  Go $shape, GOMAXPROCS=1 / GOMAXPROCS=2, capacity $q (wall): $sw"
            printf 'xthread\tgo_speedup_wall_%s_q%s\t%s\tx\n' "$shape" "$q" "$sw" >> "$TSV"
        done
    done
    for q in 16 1024; do
        echo "  Go / C, GOMAXPROCS=2 vs 2 threads, capacity $q (wall): chain" \
            "$(div "$(get "go_chain_p2_q$q" ns_per_item)" "$(get "chain_2threads_q$q" ns_per_item)"), 2-worker node" \
            "$(div "$(get "go_par_p2_q$q" ns_per_item)" "$(get "par_2workers_q$q" ns_per_item)")"
    done
fi
target() {   # DESCRIPTION VALUE OP LIMIT
    awk -v d="$1" -v v="$2" -v op="$3" -v l="$4" 'BEGIN {
        s = (v == "" || v == "-") ? "not-measured" : ((op == "<=" ? v <= l : v >= l) ? "met" : "MISSED")
        printf "  %-58s %8s %s %-6s %s\n", d, v, op, l, s }'
}
echo "targets (issue 13):"
target "hop, agdf ring capacity 16 b64, wall ns/item" "$(get ring_q16_b64 ns_per_item)" "<=" 15
target "hop, agdf ring capacity 1024 b64, wall ns/item" "$(get ring_q1024_b64 ns_per_item)" "<=" 15
target "hop, agdf ring capacity 1024 b64, CPU ns/item (consumer)" "$(get ring_q1024_b64 cpu_consumer)" "<=" 15
target "4-stage chain speed-up on 2 threads, capacity 16 (wall)" "$sp_wall_16" ">=" 1.8
target "4-stage chain speed-up on 2 threads, capacity 16 (CPU)" "$sp_cpu_16" ">=" 1.8
target "4-stage chain speed-up on 2 threads, capacity 1024 (CPU)" "$sp_cpu_1024" ">=" 1.8
exit $bad
