#!/usr/bin/env bash
# bench/plot.sh — draws the two plots of docs/performance.md from a results
# file of bench/run.sh with gnuplot (Debian: gnuplot-nox): ns per item per edge
# against queue_size for the 8-node chain (agdf median with min..max bars, Go
# with buffered channels of the same capacity, the fused loop), and against
# graph size (a chain of 2..32 nodes, and the 8-node chain beside 0..10,000
# idle nodes).  The data it extracts is kept in build/bench/performance-*.dat.
#
#   plot.sh [results.tsv [OUTDIR]]      default: build/bench/results.tsv, build/bench
#   (docs: bash bench/plot.sh build/bench/results.tsv docs, or BENCH_UPDATE_DOCS=1)
set -euo pipefail
tsv=${1:-build/bench/results.tsv}
out=${2:-build/bench}
[ -f "$tsv" ] || { echo "$tsv: not found (run bench/run.sh)" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "plot: gnuplot not installed (apt-get install gnuplot-nox)" >&2; exit 1; }
mkdir -p "$out"
dat=$(mktemp -d)
trap 'rm -rf "$dat"' EXIT

# value CASE METRIC
get() { awk -F'\t' -v c="$1" -v m="$2" '$1 == "bench" && $2 == c && $3 == m { print $4; exit }' "$tsv"; }

fused8=$(get fused_chain8 ns_median)
: > "$dat/queue.dat"
for q in 1 4 16 64 256 1024 10000; do
    a=$(get "chain8_q$q" ns_median)
    [ -n "$a" ] || continue
    g=$(get "go_chain8_q$q" ns_median)
    printf '%s %s %s %s %s %s\n' "$q" "$a" "$(get "chain8_q$q" ns_min)" "$(get "chain8_q$q" ns_max)" \
        "${g:-NaN}" "${fused8:-NaN}" >> "$dat/queue.dat"
done
: > "$dat/chain.dat"
for l in 2 4 8 16 32; do
    a=$(get "chain${l}_q1024" ns_median)
    [ -n "$a" ] || continue
    f=$(get "fused_chain$l" ns_median)
    printf '%s %s %s %s %s\n' "$l" "$a" "$(get "chain${l}_q1024" ns_min)" "$(get "chain${l}_q1024" ns_max)" \
        "${f:-NaN}" >> "$dat/chain.dat"
done
: > "$dat/idle.dat"
for m in 0 100 1000 10000; do
    c="idle${m}_q1024"; [ "$m" = 0 ] && c=chain8_q1024
    a=$(get "$c" ns_median)
    [ -n "$a" ] || continue
    printf '%s %s %s %s\n' "$((m + 8))" "$a" "$(get "$c" ns_min)" "$(get "$c" ns_max)" >> "$dat/idle.dat"
done
mkdir -p build/bench
for f in queue chain idle; do cp "$dat/$f.dat" "build/bench/performance-$f.dat"; done

gnuplot <<EOF
set terminal pngcairo size 900,560 font ",11" noenhanced
set grid
set key top right
set logscale x
set logscale y
set ylabel "ns per item per edge (log)"

set output "$out/performance-queue.png"
set title "8-node chain, N items: ns per item per edge against queue_size (median, bars: min..max)"
set xlabel "queue_size (Go: channel capacity)"
set xrange [0.7:15000]
plot "$dat/queue.dat" using 1:2:3:4 with yerrorlines lw 2 pt 7 title "agdf (agdfc + libagdf)", \
     "" using 1:5 with linespoints lw 2 pt 5 title "Go: goroutines + buffered channels", \
     "" using 1:6 with lines lw 2 dt 2 title "fused C loop (floor)"

set output "$out/performance-size.png"
set title "ns per item per edge against graph size (queue_size 1024)"
set xlabel "nodes in the graph (log)"
set xrange [1.5:20000]
plot "$dat/chain.dat" using 1:2:3:4 with yerrorlines lw 2 pt 7 title "chain of 2..32 nodes", \
     "$dat/idle.dat" using 1:2:3:4 with yerrorlines lw 2 pt 9 title "8-node chain + 0..10,000 idle nodes", \
     "$dat/chain.dat" using 1:5 with linespoints lw 2 dt 2 pt 1 title "fused C loop, same chain"
EOF
echo "plot: $out/performance-queue.png $out/performance-size.png" >&2
