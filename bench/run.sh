#!/usr/bin/env bash
# bench/run.sh — the benchmark suite behind `make bench` (issue 5).  It
# generates the benchmark graphs with bench/gen.sh, compiles them the product
# way (bin/agdfc, then cc -std=c99 -O2 against lib/libagdf.a, with the timing
# main bench/bench_main.c), builds the baselines (bench/fused.c, the same work
# fused into one C loop; bench/go/pipe.go, goroutines and buffered channels,
# when go is installed), and runs every case RUNS times round-robin (so a slow
# moment of a noisy machine spreads over all cases instead of one).  Reported
# per case: ns per item per edge (median, min, max over the runs; "delivery" =
# one item carried over one edge, counted by the runtime's own `in` statistics
# and checked against the exact expected value), the ratio to the fused loop of
# the same shape and to Go's same shape (case go_NAME, when Go has it), and
# instructions per item per edge from callgrind, measured
# as (Ir(N1) - Ir(N2)) / (deliveries(N1) - deliveries(N2)) over two whole-process
# runs so start-up, init and exit cancel out.  Then the compile-side figures
# (agdfc on a 100,000-node program, gcc -O2 on a 1,000-node program, runtime
# .text at -Os, static memory, of which one int node at default attributes),
# the targets of issue 5 and, as a table of their own, of issue 12
# (bench/targets12.sh) with met / MISSED, the load average at the start and the
# end, a readable table on stdout, build/bench/results.tsv (one figure per
# line: section, case, metric, value, unit) and the plots (bench/plot.sh).
# bench/compare.sh turns two such files into the before/after report.
#
# Environment (defaults in brackets; BENCH_QUICK=1 gives a run of about a
# minute: N=200000, 3 runs, 100 idle nodes, no sweep, no compile side):
#   BENCH_N [10000000]   items per source for the main cases
#   BENCH_SWEEP_N [2000000] items for the plot-only sweep cases
#   BENCH_GO_N [2000000] items for the Go cases (about 50 ns each: keeps the
#                        suite within minutes; ns per item does not depend on N)
#   BENCH_RUNS [5]       runs per case (the median is reported)
#   BENCH_CG_N [200000]  N1 for callgrind (N2 = N1 / 2); 0 disables callgrind
#   BENCH_IDLE [10000]   idle nodes beside the chain
#   BENCH_GO [auto]      0: skip the Go baseline
#   BENCH_XTHREAD [1]    0: skip the cross-thread benchmarks (bench/xthread.sh,
#                        bench/threads.sh)
#   BENCH_SWEEP [1]      0: skip the sweep cases (and the plots)
#   BENCH_COMPILE [1]    0: skip the compile-side figures
#   BENCH_BIG [100000]   nodes of the program agdfc is timed on
#   BENCH_ONLY [all]     extended regexp: only the cases whose name matches
#   BENCH_BEFORE [bench/baseline/before-issue12.tsv] results the issue-12
#                        target "chains within 10 % of before" is judged on
#                        ("" or a missing file: not measured)
#   BENCH_UPDATE_DOCS=1  also copy the plots to docs/ and the generated table
#                        into docs/performance.md (between its bench markers)
#   BENCH_OUT [build/bench] where everything is written: absolute, or relative
#                        to the checkout (tests/bench/run.sh uses its own, so a
#                        smoke test keeps the last results)
#   JOBS [nproc]         parallel compilations
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${BENCH_OUT:-build/bench}
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac    # relative to the checkout, or absolute
mkdir -p "$OUT/src" "$OUT/bin" "$OUT/obj" "$OUT/cg" "$OUT/log"

QUICK=${BENCH_QUICK:-0}
SWEEP=; COMPILE=
if [ "$QUICK" = 1 ]; then
    N=${BENCH_N:-200000}; SWEEP_N=${BENCH_SWEEP_N:-100000}; GO_N=${BENCH_GO_N:-100000}
    RUNS=${BENCH_RUNS:-3}; CG_N=${BENCH_CG_N:-20000}; IDLE=${BENCH_IDLE:-100}
    BIG=${BENCH_BIG:-10000}; SWEEP=${BENCH_SWEEP:-0}; COMPILE=${BENCH_COMPILE:-0}
else
    N=${BENCH_N:-10000000}; SWEEP_N=${BENCH_SWEEP_N:-2000000}; GO_N=${BENCH_GO_N:-2000000}
    RUNS=${BENCH_RUNS:-5}; CG_N=${BENCH_CG_N:-200000}; IDLE=${BENCH_IDLE:-10000}
    BIG=${BENCH_BIG:-100000}
fi
SWEEP=${SWEEP:-${BENCH_SWEEP:-1}}
COMPILE=${COMPILE:-${BENCH_COMPILE:-1}}
ONLY=${BENCH_ONLY:-}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
CC=${CC:-cc}
GEN_CFLAGS="-std=c99 -O2"                  # the product path for generated code
MY_CFLAGS="-std=c99 -O2 -Wall -Wextra -Wpedantic -Werror"
GO_OK=0
if [ "${BENCH_GO:-auto}" != 0 ] && command -v go >/dev/null 2>&1; then GO_OK=1; fi
CG_OK=0
if [ "$CG_N" != 0 ] && command -v valgrind >/dev/null 2>&1; then CG_OK=1; fi

# the machine's load when the suite starts (builds included) and, written at
# the very end, when it ends: both go into results.tsv and the report
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo -)
die() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }
[ -x bin/agdfc ] && [ -f lib/libagdf.a ] || die "build first: make all"
for f in runtime/*.c runtime/*.h; do
    [ "$f" -nt lib/libagdf.a ] && die "lib/libagdf.a is older than $f: run make all (or make bench)"
done

# ------------------------------------------------------------------ cases
# One line per case: NAME GROUP N FUSED-REF then the command that builds it:
#   agdf:  gen.sh arguments (the graph is compiled and run as NAME N)
#   fused: fused.c arguments without N;  go: pipe.go arguments without N
# GROUP: main (reported, targets), sweep (plots only), base (baselines).
CASES=()
add() { CASES+=("$*"); }
add chain8_q1        main  "$N" fused_chain8  agdf chain 8 1
# The same chain in hand-off mode (graph attribute handoff = true): a put to a
# waiting consumer runs it at once, out of the reference's order.
add chain8_q1_handoff main "$N" fused_chain8 agdf hchain 8 1
add chain8_q16       main  "$N" fused_chain8  agdf chain 8 16
add chain8_q1024     main  "$N" fused_chain8  agdf chain 8 1024
add chain8_q10000    main  "$N" fused_chain8  agdf chain 8 10000
add fanout4_q16      main  "$N" fused_fanout4 agdf fanout 4 16
add fanout4_q1024    main  "$N" fused_fanout4 agdf fanout 4 1024
add fanin4_q1024     main  "$N" fused_fanin4  agdf fanin 4 1024
add tasks8_q16       main  "$N" fused_chain8  agdf chain 8 16 8
add "idle${IDLE}_q1024" main "$N" fused_chain8 agdf chain 8 1024 1 "$IDLE"
# Item size and chain length (issue 12's baseline): 64 B and 1 KiB items, and a
# chain of 1,000 nodes, with fewer items so each case takes about as long.
# The fused loop never copies an item, so the sized chains' floor is the plain
# fused chain; the long chain's is a fused chain of 1,000 stages (the compiler
# folds its 998 increments into one add, so it runs N items in milliseconds).
add chain8_b64_q16   main  "$N" fused_chain8  agdf chain 8 16 1 0 64
add chain8_b1024_q16 main  "$((N / 10))" fused_chain8 agdf chain 8 16 1 0 1024
add chain1000_q16    main  "$((N / 100))" fused_chain1000 agdf chain 1000 16
add fused_chain8     base  "$N" fused_chain8  fused chain 8
add fused_chain1000  base  "$N" fused_chain1000 fused chain 1000
add fused_fanout4    base  "$N" fused_fanout4 fused fanout 4
add fused_fanin4     base  "$N" fused_fanin4  fused fanin 4
if [ "$GO_OK" = 1 ]; then
    for q in 1 16 1024 10000; do add "go_chain8_q$q" base "$GO_N" fused_chain8 go chain 8 "$q"; done
    add go_fanout4_q16   base "$GO_N" fused_fanout4 go fanout 4 16
    add go_fanout4_q1024 base "$GO_N" fused_fanout4 go fanout 4 1024
    add go_chain8_b64_q16   base "$GO_N" fused_chain8 go chain_b64 8 16
    add go_chain8_b1024_q16 base "$((GO_N / 10))" fused_chain8 go chain_b1024 8 16
    add go_chain1000_q16    base "$((GO_N / 100))" fused_chain1000 go chain 1000 16
    add go_fanin4_q1024  base "$GO_N" fused_fanin4  go fanin 4 1024
fi
if [ "$SWEEP" = 1 ]; then
    for q in 4 64 256; do add "chain8_q$q" sweep "$SWEEP_N" fused_chain8 agdf chain 8 "$q"; done
    for l in 2 4 16 32; do
        add "chain${l}_q1024" sweep "$SWEEP_N" "fused_chain$l" agdf chain "$l" 1024
        add "fused_chain$l" sweep "$SWEEP_N" "fused_chain$l" fused chain "$l"
    done
    for m in 100 1000; do
        [ "$m" -lt "$IDLE" ] && add "idle${m}_q1024" sweep "$SWEEP_N" fused_chain8 agdf chain 8 1024 1 "$m"
    done
    if [ "$GO_OK" = 1 ]; then
        for q in 4 64 256; do add "go_chain8_q$q" sweep "$GO_N" fused_chain8 go chain 8 "$q"; done
    fi
fi
if [ -n "$ONLY" ]; then
    kept=()
    for c in "${CASES[@]}"; do
        set -- $c
        [[ $1 =~ $ONLY ]] && kept+=("$c")
    done
    CASES=("${kept[@]+"${kept[@]}"}")
fi
[ "${#CASES[@]}" -gt 0 ] || die "no case matches BENCH_ONLY=$ONLY"

# ------------------------------------------------------------------ build
# A graph's object is rebuilt only when its generated C or the runtime header
# changed (gcc needs minutes on the 10,000-idle-node graph); linking is always
# redone against the current lib/libagdf.a.
build_graph() {   # NAME gen-args...
    local name=$1 src=$OUT/src/$1; shift
    bash bench/gen.sh "$1" "$name" "${@:2}" > "$src.agdf"
    bin/agdfc "$src.agdf" -o "$src.c" 2> "$OUT/log/$name.agdfc" ||
        { cat "$OUT/log/$name.agdfc" >&2; return 1; }
    # content, not dates, decide (a header edited during a long compile must
    # not leave an object built against the old layout looking up to date)
    if ! { [ -f "$OUT/obj/$name.o" ] && cmp -s runtime/agdf.h "$OUT/obj/$name.built.agdf.h" &&
           cmp -s "$src.c" "$OUT/obj/$name.built.c" && cmp -s "$src.h" "$OUT/obj/$name.built.h"; }; then
        rm -f "$OUT/obj/$name.o" "$OUT/obj/$name.built.agdf.h"
        cp runtime/agdf.h "$OUT/obj/$name.agdf.h.tmp"
        $CC $GEN_CFLAGS -Wall -Wextra -Wpedantic -Iruntime -I"$OUT/src" \
            -c "$src.c" -o "$OUT/obj/$name.o" 2> "$OUT/log/$name.cc" ||
            { cat "$OUT/log/$name.cc" >&2; return 1; }
        mv "$OUT/obj/$name.agdf.h.tmp" "$OUT/obj/$name.built.agdf.h"
        cp "$src.c" "$OUT/obj/$name.built.c"
        cp "$src.h" "$OUT/obj/$name.built.h"
    fi
    $CC $MY_CFLAGS -Iruntime -I"$OUT/src" -DBENCH_GRAPH="$name" "-DBENCH_HEADER=\"$name.h\"" \
        -c bench/bench_main.c -o "$OUT/obj/$name.main.o"
    $CC -O2 -o "$OUT/bin/$name" "$OUT/obj/$name.main.o" "$OUT/obj/$name.o" lib/libagdf.a -lpthread
}

build_fused() { $CC $MY_CFLAGS bench/fused.c -o "$OUT/bin/fused"; }
go_env() {
    env HOME="$OUT/gohome" GOCACHE="$OUT/gocache" GOPATH="$OUT/gopath" GOPROXY=off \
        GOFLAGS= GO111MODULE=auto "$@"
}
build_go() { mkdir -p "$OUT/gohome"; go_env go build -o "$OUT/bin/gopipe" bench/go/pipe.go; }

note "building $(printf '%s\n' "${CASES[@]}" | grep -c ' agdf ') graphs, the fused loop$([ "$GO_OK" = 1 ] && echo ' and Go') ($JOBS jobs)"
t_build=$SECONDS
pids=()
fail=0
launch() {   # runs "$@" in the background, at most JOBS at a time
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || fail=1; done
    "$@" > "$OUT/log/build.$(echo "$*" | tr ' /' '__' | cut -c1-60)" 2>&1 &
    pids+=($!)
}
# the idle graphs (the largest) first, so they overlap the others
for c in "${CASES[@]}"; do
    set -- $c
    [ "$5" = agdf ] && [[ $1 == idle* ]] && launch build_graph "$1" "${@:6}"
done
for c in "${CASES[@]}"; do
    set -- $c
    [ "$5" = agdf ] && [[ $1 != idle* ]] && launch build_graph "$1" "${@:6}"
done
# the static-memory case: every attribute at its default, at two lengths
MEM_OK=0
if [ -z "$ONLY" ] || [[ mem_defaults =~ $ONLY ]]; then
    MEM_OK=1
    for l in 4 12; do launch build_graph "mem_defaults$l" defaults "$l"; done
fi
launch build_fused
[ "$GO_OK" = 1 ] && launch build_go
for p in "${pids[@]}"; do wait "$p" || fail=1; done
if [ "$fail" != 0 ]; then
    for f in "$OUT"/log/build.*; do [ -s "$f" ] && { echo "== $f"; cat "$f"; } >&2; done
    die "a build failed (logs above, and in $OUT/log)"
fi
note "built in $((SECONDS - t_build)) s"

# ------------------------------------------------------------------ run
cmd_of() {   # NAME GROUP N REF KIND ARGS... -> the command line, N last
    local name=$1 n=$3 kind=$5; shift 5
    case $kind in
        agdf)  echo "$OUT/bin/$name $n" ;;
        fused) echo "$OUT/bin/fused $* $n" ;;
        go)    echo "$OUT/bin/gopipe $* $n" ;;
    esac
}
field() { sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p; s/^$1=\\([^ ]*\\).*/\\1/p" | head -n 1; }

RAW=$OUT/runs.log
: > "$RAW"
note "timing ${#CASES[@]} cases x $RUNS runs (N=$N, sweep N=$SWEEP_N, Go N=$GO_N)"
t_run=$SECONDS
for ((r = 1; r <= RUNS; r++)); do
    for c in "${CASES[@]}"; do
        set -- $c
        line=$($(cmd_of "$@")) || die "$1 failed (run $r, exit $?): $line"
        [ "$(echo "$line" | field check)" = ok ] || die "$1: wrong result: $line"
        echo "case=$1 run=$r $line" >> "$RAW"
    done
done
note "timed in $((SECONDS - t_run)) s"

# ------------------------------------------------------------------ callgrind
# Whole-process instruction counts at N1 and N2 = N1/2; the difference over the
# difference of deliveries is the marginal cost of one item over one edge.
declare -A INSTR=()
if [ "$CG_OK" = 1 ]; then
    n1=$CG_N; n2=$((CG_N / 2))
    note "callgrind at N=$n1 and N=$n2"
    t_cg=$SECONDS
    for c in "${CASES[@]}"; do
        set -- $c
        [ "$2" = main ] || [[ $1 =~ ^fused_(chain8|chain1000|fanout4|fanin4)$ ]] || continue
        [ "$5" = go ] && continue
        ir=(); dl=()
        # a case timed on fewer items than N is measured on as many fewer
        m1=$(( n1 * $3 / N )); [ "$m1" -ge 2 ] || m1=2
        m2=$(( m1 / 2 ))
        for n in $m1 $m2; do
            set -- $c
            f=$OUT/cg/$1.$n.out
            cmd=$(set -- "$1" "$2" "$n" "${@:4}"; cmd_of "$@")
            line=$(valgrind --tool=callgrind --callgrind-out-file="$f" $cmd 2> "$OUT/log/$1.cg") ||
                die "callgrind $1 failed: $(tail -n 5 "$OUT/log/$1.cg")"
            ir+=("$(sed -n 's/^summary: *\([0-9]*\).*/\1/p; s/^totals: *\([0-9]*\).*/\1/p' "$f" | head -n 1)")
            dl+=("$(echo "$line" | field deliveries)")
        done
        INSTR[$1]=$(awk -v a="${ir[0]}" -v b="${ir[1]}" -v c="${dl[0]}" -v d="${dl[1]}" \
            'BEGIN { printf "%.2f", (a - b) / (c - d) }')
    done
    note "callgrind in $((SECONDS - t_cg)) s"
fi

# ------------------------------------------------------------------ statistics
TSV=$OUT/results.tsv
{
    printf 'section\tcase\tmetric\tvalue\tunit\n'
    printf 'config\tsuite\tn\t%s\titems\nconfig\tsuite\tsweep_n\t%s\titems\n' "$N" "$SWEEP_N"
    printf 'config\tsuite\tgo_n\t%s\titems\nconfig\tsuite\truns\t%s\truns\n' "$GO_N" "$RUNS"
    printf 'config\tsuite\tcallgrind_n\t%s\titems\n' "$([ "$CG_OK" = 1 ] && echo "$CG_N" || echo 0)"
    # the machine, and how busy it was (other processes make medians noisy)
    printf 'machine\thost\tnproc\t%s\tcpus\n' "$(nproc 2>/dev/null || echo -)"
    printf 'machine\thost\tcpu\t%s\t-\n' "$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)"
    printf 'machine\thost\tkernel\t%s\t-\n' "$(uname -sr)"
    printf 'machine\thost\tcc\t%s\t-\n' "$($CC --version 2>/dev/null | head -n 1)"
    printf 'machine\thost\tgo\t%s\t-\n' "$([ "$GO_OK" = 1 ] && go version || echo -)"
    printf 'machine\thost\tvalgrind\t%s\t-\n' "$([ "$CG_OK" = 1 ] && valgrind --version || echo -)"
    printf 'machine\thost\tloadavg_start\t%s\t1/5/15 min\n' "$LOAD_START"
    printf 'machine\thost\tdate\t%s\t-\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'machine\thost\tcommit\t%s\t-\n' "$(git rev-parse --short HEAD 2>/dev/null || echo -)$(git diff --quiet HEAD -- runtime compiler 2>/dev/null || echo '+local changes')"
    # the last commit that changed what is measured (the runtime, the compiler)
    printf 'machine\thost\tcode_commit\t%s\t-\n' "$(git log -1 --format=%h HEAD -- runtime compiler grammar 2>/dev/null || echo -)"
} > "$TSV"

# median / min / max of ns per case, from the raw runs; three decimals, or
# three significant digits below 1 ns (the fused 1,000-stage chain costs a few
# picoseconds per delivery: its ratios need more than 0.002)
STATS=$OUT/stats.tsv
awk 'function ns(x) { return x >= 1 ? sprintf("%.3f", x) : sprintf("%.3g", x) }
{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    # from seconds (6 decimals) rather than from ns (4 decimals)
    c = f["case"]; k = ++cnt[c]; v[c, k] = f["deliveries"] > 0 ? f["seconds"] * 1e9 / f["deliveries"] : f["ns"] + 0
    n[c] = f["n"]; d[c] = f["deliveries"]; gb[c] = f["graph_bytes"]; tb[c] = f["task_bytes"]
    nb[c] = f["node_bytes"]; nn[c] = f["nodes"]
} END {
    for (c in cnt) {
        m = cnt[c]
        for (i = 1; i <= m; i++) s[i] = v[c, i]
        for (i = 2; i <= m; i++) { x = s[i]; for (j = i - 1; j >= 1 && s[j] > x; j--) s[j + 1] = s[j]; s[j + 1] = x }
        med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", c, n[c], d[c], ns(med), ns(s[1]), ns(s[m]), m, gb[c], tb[c], nb[c], nn[c]
    }
}' "$RAW" | sort > "$STATS"

stat() { awk -F'\t' -v c="$1" -v k="$2" '$1 == c { print $k }' "$STATS"; }  # 4 med 5 min 6 max 8 graph bytes
ratio() {   # A B [DECIMALS]: A / B, or - when either is missing
    awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.*f", d, a / b }'
}

for c in "${CASES[@]}"; do
    set -- $c
    name=$1 ref=$4 kind=$5
    med=$(stat "$name" 4)
    {
        printf 'bench\t%s\tgroup\t%s\t-\n' "$name" "$2"
        printf 'bench\t%s\tkind\t%s\t-\n' "$name" "$kind"
        printf 'bench\t%s\tn\t%s\titems\n' "$name" "$(stat "$name" 2)"
        printf 'bench\t%s\tdeliveries\t%s\titems*edges\n' "$name" "$(stat "$name" 3)"
        printf 'bench\t%s\tns_median\t%s\tns/item/edge\n' "$name" "$med"
        printf 'bench\t%s\tns_min\t%s\tns/item/edge\n' "$name" "$(stat "$name" 5)"
        printf 'bench\t%s\tns_max\t%s\tns/item/edge\n' "$name" "$(stat "$name" 6)"
        printf 'bench\t%s\tvs_fused\t%s\tx\n' "$name" "$(ratio "$med" "$(stat "$ref" 4)")"
        [ "$kind" = agdf ] && [ -n "$(stat "go_$name" 4)" ] &&
            printf 'bench\t%s\tvs_go\t%s\tx\n' "$name" "$(ratio "$med" "$(stat "go_$name" 4)" 3)"
        [ -n "${INSTR[$name]:-}" ] && printf 'bench\t%s\tinstr\t%s\tinstructions/item/edge\n' "$name" "${INSTR[$name]}"
        if [ "$kind" = agdf ]; then
            printf 'memory\t%s\tgraph_bytes\t%s\tB\n' "$name" "$(stat "$name" 8)"
            printf 'memory\t%s\tnodes\t%s\tnodes\n' "$name" "$(stat "$name" 11)"
        fi
    } >> "$TSV"
done
first_agdf=$(awk -F'\t' '$9 > 0 { print $1; exit }' "$STATS")
if [ -n "$first_agdf" ]; then
    printf 'memory\tagdf_task\tbytes\t%s\tB\nmemory\tagdf_node\tbytes\t%s\tB\n' \
        "$(stat "$first_agdf" 9)" "$(stat "$first_agdf" 10)" >> "$TSV"
fi
# Static memory of one int node with default attributes (issue 12): the graph
# of 12 such nodes minus the graph of 4, over 8, so the per-graph parts (the
# error pool, the runtime's graph record) cancel out.
if [ "$MEM_OK" = 1 ]; then
    for l in 4 12; do
        line=$("$OUT/bin/mem_defaults$l" 1000) || die "mem_defaults$l failed: $line"
        [ "$(echo "$line" | field check)" = ok ] || die "mem_defaults$l: wrong result: $line"
        printf 'memory\tmem_defaults%s\tgraph_bytes\t%s\tB\n' "$l" "$(echo "$line" | field graph_bytes)" >> "$TSV"
    done
    awk -F'\t' '$2 == "mem_defaults4" && $3 == "graph_bytes" { a = $4 }
                $2 == "mem_defaults12" && $3 == "graph_bytes" { b = $4 }
                END { printf "memory\tint_node_default\tbytes\t%.0f\tB\n", (b - a) / 8 }' "$TSV" >> "$TSV"
fi

# ------------------------------------------------------------------ compile side
cpu_time() {   # runs "$@" with output to /dev/null; prints "wall cpu" seconds
    local TIMEFORMAT='%R %U %S' t
    t=$( { time "$@" > /dev/null 2>&1; } 2>&1 ) || return 1
    echo "$t" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}
if [ "$COMPILE" = 1 ]; then
    note "compile-side figures"
    big=$OUT/src/big$BIG.agdf
    bash bench/gen.sh big "big$BIG" "$BIG" 10 > "$big"
    t=$(cpu_time bin/agdfc "$big" -o "$OUT/src/big$BIG.c") || die "agdfc failed on $big"
    printf 'compile\tagdfc_%s_nodes\twall\t%s\ts\ncompile\tagdfc_%s_nodes\tcpu\t%s\ts\n' \
        "$BIG" "${t% *}" "$BIG" "${t#* }" >> "$TSV"
    big1k=$OUT/src/big1000.agdf
    bash bench/gen.sh big big1000 1000 10 > "$big1k"
    bin/agdfc "$big1k" -o "$OUT/src/big1000.c" 2> "$OUT/log/big1000.agdfc" || die "agdfc failed on $big1k"
    t=$(cpu_time $CC $GEN_CFLAGS -Iruntime -I"$OUT/src" -c "$OUT/src/big1000.c" -o "$OUT/obj/big1000.o") ||
        die "cc failed on big1000.c"
    printf 'compile\tgcc_O2_1000_nodes\twall\t%s\ts\ncompile\tgcc_O2_1000_nodes\tcpu\t%s\ts\n' \
        "${t% *}" "${t#* }" >> "$TSV"
    printf 'compile\tgcc_O2_1000_nodes\tc_lines\t%s\tlines\n' "$(wc -l < "$OUT/src/big1000.c")" >> "$TSV"
    # runtime .text at -Os: every runtime/*.c, without and with the offload pool
    # (there is no switch for logging: agdf_log.c is always in)
    for variant in no_offload offload; do
        def=""; [ "$variant" = no_offload ] && def=-DAGDF_NO_OFFLOAD
        mkdir -p "$OUT/size/$variant"
        text=0; all=0
        for f in runtime/*.c; do
            o=$OUT/size/$variant/$(basename "$f" .c).o
            $CC -std=c99 -Os $def -Iruntime -c "$f" -o "$o"
            tx=$(size -A "$o" | awk '$1 == ".text" { print $2 }')
            printf 'size\t%s_%s\ttext\t%s\tB\n' "$(basename "$f" .c)" "$variant" "${tx:-0}" >> "$TSV"
            text=$((text + ${tx:-0}))
            all=$((all + $(size "$o" | awk 'NR == 2 { print $1 }')))
        done
        printf 'size\truntime_%s\ttext\t%s\tB\nsize\truntime_%s\ttext_rodata\t%s\tB\n' \
            "$variant" "$text" "$variant" "$all" >> "$TSV"
    done
fi

# Companion benchmarks owned by the runtime and front-end engineers, when
# present: their lines go into the TSV as they are (section "companion").
companion() {   # NAME command...
    local out i=0
    out=$("${@:2}" 2>&1) || true
    printf '%s\n' "$out" > "$OUT/log/$1.txt"
    while IFS= read -r l; do
        i=$((i + 1))
        printf 'companion\t%s\tline%d\t%s\t-\n' "$1" "$i" "$(printf '%s' "$l" | tr '\t' ' ')" >> "$TSV"
    done <<< "$out"
}
if [ "$QUICK" != 1 ] && [ -z "$ONLY" ]; then
    [ -f bench/runtime_idle.sh ] && companion runtime_idle sh bench/runtime_idle.sh
    [ -f bench/frontend.sh ] && [ "$COMPILE" = 1 ] && companion frontend bash bench/frontend.sh
fi

# ------------------------------------------------------------------ cross-thread
# bench/xthread.sh (issue 13): ring hop cost against a plain SPSC ring and Go
# channels, and a 4-stage chain on 1 vs 2 threads.  Its own table is in
# $OUT/log/xthread.txt and $OUT/xthread.tsv.  BENCH_XTHREAD=0 skips it.
# Then bench/threads.sh: agdf programs on 1 and 2 threads against those
# baselines, and this run's callgrind figures against bench/baseline's
# (its table: $OUT/log/threads.txt, $OUT/threads.tsv).
run_xthread() {
    [ "${BENCH_XTHREAD:-1}" = 1 ] && [ -f bench/xthread.sh ] || return 0
    companion xthread env XT_OUT="$OUT" XT_GO="$GO_OK" bash bench/xthread.sh
    [ -f bench/threads.sh ] && companion threads env TH_OUT="$OUT" bash bench/threads.sh
}
if [ "$QUICK" != 1 ] && [ -z "$ONLY" ]; then run_xthread; fi

# ------------------------------------------------------------------ targets
get() { awk -F'\t' -v s="$1" -v c="$2" -v m="$3" '$1 == s && $2 == c && $3 == m { print $4; exit }' "$TSV"; }
target() {   # NAME DESCRIPTION VALUE OP LIMIT UNIT
    local st
    if [ -z "$3" ] || [ "$3" = - ]; then st=not-measured
    else st=$(awk -v v="$3" -v l="$5" -v op="$4" 'BEGIN { print ((op == "<=" ? v <= l : v < l) ? "met" : "MISSED") }')
    fi
    printf 'target\t%s\tvalue\t%s\t%s\ntarget\t%s\tlimit\t%s %s\t%s\ntarget\t%s\tstatus\t%s\t-\ntarget\t%s\tdescription\t%s\t-\n' \
        "$1" "${3:--}" "$6" "$1" "$4" "$5" "$6" "$1" "$st" "$1" "$2" >> "$TSV"
    printf 'target\t%s\ttable\tissue5\t-\n' "$1" >> "$TSV"
}
for q in 16 1024 10000; do
    target "chain8_q${q}_ns" "chain, queue_size $q: ns per item per edge" "$(get bench "chain8_q$q" ns_median)" "<=" 3 ns
    target "chain8_q${q}_instr" "chain, queue_size $q: instructions per item per edge" "$(get bench "chain8_q$q" instr)" "<=" 25 instr
done
target chain8_q1_ns "chain, queue_size 1: ns per item per edge" "$(get bench chain8_q1 ns_median)" "<=" 12 ns
target fanout4_ns "fan-out 1 -> 4: ns per delivered item" "$(get bench fanout4_q1024 ns_median)" "<=" 4 ns
a=$(get bench "idle${IDLE}_q1024" ns_median); b=$(get bench chain8_q1024 ns_median)
target "idle${IDLE}_ratio" "chain beside $IDLE idle nodes / plain chain (time)" \
    "$( [ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')" "<=" 1.10 x
if [ "$COMPILE" = 1 ]; then
    target "agdfc_${BIG}_nodes" "agdfc on a $BIG-node program (CPU)" "$(get compile "agdfc_${BIG}_nodes" cpu)" "<" 1 s
    target gcc_O2_1000_nodes "gcc -O2 on the generated C of a 1,000-node program (CPU)" "$(get compile gcc_O2_1000_nodes cpu)" "<" 10 s
    target runtime_text "runtime .text at -Os without offload (KiB; no logging switch exists)" \
        "$(awk -v t="$(get size runtime_no_offload text)" 'BEGIN { printf "%.2f", t / 1024 }')" "<=" 8 KiB
fi
# issue 12's targets, a table of their own (bench/targets12.sh defines them);
# the plain chains' instruction counts are judged against BENCH_BEFORE
BEFORE=${BENCH_BEFORE-bench/baseline/before-issue12.tsv}
[ -z "$BEFORE" ] || [ -f "$BEFORE" ] || { note "no $BEFORE: the vs-before targets are not measured"; BEFORE=; }
t12=$(bash bench/targets12.sh "$TSV" ${BEFORE:+"$BEFORE"}) || die "bench/targets12.sh failed"
printf '%s\n' "$t12" >> "$TSV"
printf 'machine\thost\tloadavg_end\t%s\t1/5/15 min\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo -)" >> "$TSV"
printf 'config\tsuite\tbefore\t%s\t-\n' "${BEFORE:--}" >> "$TSV"

# ------------------------------------------------------------------ report
note "results: $TSV"
bash bench/report.sh "$TSV" | tee "$OUT/report.txt"
bash bench/report.sh --markdown "$TSV" > "$OUT/report.md"
if [ "$SWEEP" = 1 ] && [ -z "$ONLY" ] && command -v gnuplot >/dev/null 2>&1; then
    bash bench/plot.sh "$TSV" "$OUT"
    if [ "${BENCH_UPDATE_DOCS:-0}" = 1 ]; then
        cp "$OUT"/performance-*.png docs/
        bash bench/report.sh --update-docs "$TSV" docs/performance.md
        note "docs/performance.md and docs/performance-*.png updated"
    fi
fi
