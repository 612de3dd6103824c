#!/usr/bin/env bash
# tests/threads_emit/run.sh — what agdfc emits for the graph attribute threads
# (docs/language.md §3): the generated C of tests/emit/threaded.agdf (an
# explicit thread, a weight, a spread node, fan-in) with threads = 2, 3 and 64
# compiles with gcc and clang under -std=c99 -Wall -Wextra -Wpedantic -Werror,
# its rings follow agdf.h's numbering, a graph with items of size 0 and
# offloads compiles too; threads = 1 emits byte for byte what no attribute
# emits; the --main program of a one-thread graph takes --threads=1 and
# --placement and refuses any other --threads with the reason; and the --main
# program of threaded.agdf, linked with lib/libagdf.a, runs on 2 threads with
# exact statistics, prints its placement and its threads' memory, and refuses
# a --threads its placed nodes do not fit.  Budget: 10 s on 2 busy cores
# (about 4 s idle).  Uses bin/agdfc-san when it exists.
# One line per check: "PASS threads_emit/NAME" or "FAIL threads_emit/NAME".
set -u
cd "$(dirname "$0")/../.."
root=$PWD
agdfc=$root/bin/agdfc-san
[ -x "$agdfc" ] || agdfc=$root/bin/agdfc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SUITE=threads_emit
. tests/check.sh
flags="-std=c99 -Wall -Wextra -Wpedantic -Werror -I$root/runtime"
compilers="gcc"
command -v clang >/dev/null 2>&1 && compilers="gcc clang"

# threads = T: the generated C compiles; the header has T, the rings and the
# replica queues agdf.h's numbering gives: 3 edges, work (spread) -> sink has
# T rings, work has T - 1 balancing rings and T - 1 replica queues.
for T in 2 3 64; do
    : >"$tmp/p"
    sed "s/threads = 2/threads = $T/" tests/emit/threaded.agdf >"$tmp/threaded$T.agdf"
    (cd "$tmp" && "$agdfc" --main "threaded$T.agdf" -o "threaded$T.c") >>"$tmp/p" 2>&1
    for cc in $compilers; do
        $cc $flags -c "$tmp/threaded$T.c" -o "$tmp/threaded$T.$cc.o" >>"$tmp/p" 2>&1 \
            || echo "$cc refused the generated C" >>"$tmp/p"
    done
    rings=$((3 + 2 * (T - 1)))
    grep -q "^    .nedges = 3, .nrings = $rings$" "$tmp/threaded$T.c" \
        || echo "agdf_mt_def: not .nedges = 3, .nrings = $rings" >>"$tmp/p"
    grep -q "threaded_THREADS = $T," "$tmp/threaded$T.h" || echo "no threaded_THREADS = $T" >>"$tmp/p"
    grep -q "struct agdf_ring rings\[$rings\];" "$tmp/threaded$T.h" || echo "rings[$rings]" >>"$tmp/p"
    grep -q "static const size_t threaded__queue_off\[$((T - 1))\]" "$tmp/threaded$T.c" \
        || echo "queue_off[$((T - 1))]" >>"$tmp/p"
    last=$((rings - 1))
    grep -q "agdf_threads.ring.r$last), /\* $last: balancing work, home -> rank $((T - 1)) \*/" \
        "$tmp/threaded$T.c" || echo "ring $last is not work's last balancing ring" >>"$tmp/p"
    grep -q "agdf_mt_init(&g->agdf, &threaded__mt, &mm);" "$tmp/threaded$T.c" \
        || echo "threaded_init does not call agdf_mt_init" >>"$tmp/p"
    check "threads-$T-compiles" "$tmp/p"
done

# The ring order of agdf.h: edges by source in declaration order (gen, side,
# work), each source's destinations in edge order, a spread source's rings by
# producer rank, then the balancing rings.
: >"$tmp/p"
sed -n '/^static const size_t threaded__ring_off/,/^};/p' "$tmp/threaded3.c" \
    | sed -n 's|.*/\* \(.*\) \*/|\1|p' >"$tmp/order"
cat >"$tmp/want" <<'EOF'
0: gen -> work
1: side -> sink
2: work -> sink, producer rank 0
3: work -> sink, producer rank 1
4: work -> sink, producer rank 2
5: balancing work, home -> rank 1
6: balancing work, home -> rank 2
EOF
diff "$tmp/want" "$tmp/order" >"$tmp/p" 2>&1
check ring-numbering "$tmp/p"

# What different threads write is on different cache lines (64 bytes): each
# node's storage, each ring's and replica queue's items, and each task of a
# spread node (its tasks run on several threads).  A shared line moves
# between the cores at every write (the hop at queue_size 16 paid for it).
: >"$tmp/p"
cat >"$tmp/lines.c" <<'EOF'
#include <stddef.h>
#include <stdio.h>
#include "threaded3.h"
#define LINE(what, off) \
    if ((off) % 64) { printf("%s at byte %zu, not on a line of its own\n", what, (size_t)(off)); bad = 1; }
int main(void)
{
    int bad = 0;
    LINE("n.gen", offsetof(threaded, n.gen)) LINE("n.side", offsetof(threaded, n.side))
    LINE("n.work", offsetof(threaded, n.work)) LINE("n.sink", offsetof(threaded, n.sink))
    LINE("work's task", sizeof(threaded_work_task))
    LINE("ring 0", offsetof(threaded, agdf_threads.ring.r0))
    LINE("ring 1", offsetof(threaded, agdf_threads.ring.r1))
    LINE("ring 6", offsetof(threaded, agdf_threads.ring.r6))
    LINE("replica 0", offsetof(threaded, agdf_threads.replica.q0))
    LINE("replica 1", offsetof(threaded, agdf_threads.replica.q1))
    return bad;
}
EOF
for cc in $compilers; do
    $cc $flags -I"$tmp" "$tmp/lines.c" -o "$tmp/lines.$cc" >>"$tmp/p" 2>&1 && "$tmp/lines.$cc" >>"$tmp/p" 2>&1 ||
        echo "$cc: the layout check failed" >>"$tmp/p"
done
check cache-lines "$tmp/p"

# Items of size 0 (no ring storage, offset 0), an offload pool per thread, a
# node without edges, and no replica storage.
: >"$tmp/p"
cat >"$tmp/empty.agdf" <<'EOF'
graph empty [threads = 2];
%{
static void agdf_test_nothing(void *a) { (void)a; }
%}
node a() [max_tasks = 2, spread = true] { AGDF_OFFLOAD(agdf_test_nothing, NULL); AGDF_YIELD(); }
node b() { AGDF_YIELD(); }
node c() {}
a -> b;
EOF
(cd "$tmp" && "$agdfc" --main empty.agdf -o empty.c) >>"$tmp/p" 2>&1
for cc in $compilers; do
    $cc $flags -c "$tmp/empty.c" -o "$tmp/empty.$cc.o" >>"$tmp/p" 2>&1 \
        || echo "$cc refused the generated C" >>"$tmp/p"
done
grep -q "agdf_offload_slot workers\[(empty_THREADS - 1) \* empty_OFFLOAD_THREADS\]" "$tmp/empty.h" \
    || echo "no offload slots per thread" >>"$tmp/p"
grep -q "^    0, /\* 0: a -> b, producer rank 0 \*/" "$tmp/empty.c" \
    || echo "a ring of items of size 0 has storage" >>"$tmp/p"
grep -q "replica" "$tmp/empty.h" && echo "replica storage for items of size 0" >>"$tmp/p"
check size-0-items "$tmp/p"

# threads = 1 is what no attribute gives, byte for byte (NAME_THREADS = 1 in
# both), with and without --main; no threads storage, no agdf_mt_init.
: >"$tmp/p"
mkdir -p "$tmp/one" "$tmp/none"
sed 's/^graph etl \[/graph etl [threads = 1, /' tests/emit/etl.agdf >"$tmp/one/etl.agdf"
cp tests/emit/etl.agdf "$tmp/none/etl.agdf"
for d in one none; do
    (cd "$tmp/$d" && "$agdfc" etl.agdf -o etl.c && "$agdfc" --main etl.agdf -o main.c) \
        >>"$tmp/p" 2>&1
done
for f in etl.c etl.h main.c main.h; do
    cmp -s "$tmp/one/$f" "$tmp/none/$f" || echo "$f differs with threads = 1" >>"$tmp/p"
done
grep -q "etl_THREADS = 1," "$tmp/one/etl.h" || echo "no etl_THREADS = 1" >>"$tmp/p"
grep -q "agdf_threads\|agdf_mt_init\|agdf_set_threads" "$tmp/one/etl.h" "$tmp/one/main.c" \
    && echo "threads storage or calls with threads = 1" >>"$tmp/p"
check threads-1-unchanged "$tmp/p"

# The --main program of a one-thread graph: --threads=1 and --placement work,
# every other --threads is refused (status 2) with the way to get more.
: >"$tmp/p"
cat >"$tmp/one.agdf" <<'EOF'
graph one;
node extract() -> int { AGDF_YIELD(1); }
node transform(int v) -> int [max_tasks = 2] { AGDF_YIELD(v + 1); }
node load(int v) { (void)v; }
extract -> transform -> load;
EOF
(cd "$tmp" && "$agdfc" --main one.agdf -o one.c) >>"$tmp/p" 2>&1
if [ -f lib/libagdf.a ] && gcc $flags "$tmp/one.c" lib/libagdf.a -lpthread \
        -o "$tmp/etl1" >>"$tmp/p" 2>&1; then
    "$tmp/etl1" --threads=1 --placement >"$tmp/out" 2>&1
    rc=$?
    printf 'extract: thread 0\ntransform: thread 0\nload: thread 0\n' >"$tmp/want"
    [ $rc -eq 0 ] && cmp -s "$tmp/want" "$tmp/out" \
        || { echo "--threads=1 --placement: status $rc, output:"; cat "$tmp/out"; } >>"$tmp/p"
    for v in 2 0 -1 1x ""; do
        "$tmp/etl1" --threads=$v >"$tmp/out" 2>&1
        rc=$?
        [ $rc -eq 2 ] && grep -q "bad --threads: $v (this graph was compiled for 1 thread; to allow" \
            "$tmp/out" || echo "--threads=$v: status $rc, $(head -1 "$tmp/out")" >>"$tmp/p"
    done
    "$tmp/etl1" --threads >"$tmp/out" 2>&1
    [ $? -eq 2 ] || echo "--threads without a value is not a usage error" >>"$tmp/p"
    "$tmp/etl1" --help >"$tmp/out" 2>&1
    grep -q -- "--threads=N  " "$tmp/out" && grep -q -- "--placement  " "$tmp/out" \
        || echo "--help does not list --threads and --placement" >>"$tmp/p"
else
    echo "cannot link the --main program (make first)" >>"$tmp/p"
fi
check main-one-thread "$tmp/p"

# The runtime's threads (runtime/agdf_mt.c): the --main program of
# threaded.agdf runs on 2 threads with exact statistics, prints its placement
# and its threads' memory (the parts adding up to the total), names the node a
# too small --threads misses, and traces a run on one thread only.
: >"$tmp/p"
cp tests/emit/threaded.agdf "$tmp/threaded.agdf"
(cd "$tmp" && "$agdfc" --main threaded.agdf -o threaded.c 2>&1 \
    && sed 's/threads = 2/threads = 3/; s/\[thread = 1\]/[thread = 2]/' threaded.agdf >placed.agdf \
    && "$agdfc" --main placed.agdf -o placed.c 2>&1 \
    && sed 's/\[thread = [01]\]//' threaded.agdf >auto.agdf \
    && "$agdfc" --main auto.agdf -o auto.c 2>&1) >>"$tmp/p" 2>&1
for g in threaded placed auto; do
    gcc $flags "$tmp/$g.c" lib/libagdf.a -lpthread -o "$tmp/$g" >>"$tmp/p" 2>&1 \
        || echo "$g: cannot link" >>"$tmp/p"
done
if [ ! -s "$tmp/p" ]; then
    "$tmp/threaded" --threads=2 --stats >"$tmp/out" 2>&1
    rc=$?
    for want in "gen - in=0, out=1000, err=0" "side - in=0, out=1, err=0" \
                "work - in=1000, out=1000, err=0" "sink - in=1001, out=0, err=0"; do
        grep -q "INFO:agdf: $want\$" "$tmp/out" || echo "--stats has no '$want'" >>"$tmp/p"
    done
    [ $rc -eq 0 ] || echo "--threads=2 --stats: status $rc" >>"$tmp/p"
    "$tmp/threaded" --placement >"$tmp/out" 2>&1
    grep -q '^gen: thread 0$' "$tmp/out" && grep -q '^sink: thread 1$' "$tmp/out" \
        && grep -Eq '^work: threads 0-1 \(spread, tasks 0-1 on [01], tasks 2-3 on [01]\)$' "$tmp/out" \
        || { echo "--placement:"; cat "$tmp/out"; } >>"$tmp/p"
    "$tmp/auto" --threads=1 --placement >"$tmp/out" 2>&1
    grep -q '^work: thread 0 (spread, tasks 0-3 on 0)$' "$tmp/out" && grep -q '^sink: thread 0$' "$tmp/out" \
        || { echo "--threads=1 --placement:"; cat "$tmp/out"; } >>"$tmp/p"
    "$tmp/threaded" --memory >"$tmp/out" 2>&1
    grep -q '^  threads: [0-9]* bytes (storage for 2 threads)$' "$tmp/out" \
        && grep -q '^    rings: [0-9]* bytes (5 rings of ' "$tmp/out" \
        && grep -q '^    replica queues: 64 bytes' "$tmp/out" \
        || { echo "--memory:"; cat "$tmp/out"; } >>"$tmp/p"
    awk '/^graph /{t=$3} /^  runtime:/{s+=$2} /^  errors:/{s+=$2} /^  threads:/{s+=$2}
         /^  nodes:/{gsub(/\(/, "", $4); s+=$4} END{exit !(t > 0 && s == t)}' "$tmp/out" \
        || echo "--memory: the parts do not add up to the total" >>"$tmp/p"
    "$tmp/auto" --trace="$tmp/t.json" >"$tmp/out" 2>&1
    rc=$?
    [ $rc -eq 2 ] && grep -q "auto: --trace traces a run on one thread: add --threads=1" "$tmp/out" \
        || echo "--trace on 2 threads: status $rc, $(head -1 "$tmp/out")" >>"$tmp/p"
    "$tmp/auto" --threads=1 --trace="$tmp/t.json" >"$tmp/out" 2>&1
    rc=$?
    [ $rc -eq 0 ] && [ -s "$tmp/t.json" ] || echo "--threads=1 --trace: status $rc" >>"$tmp/p"
    "$tmp/placed" --threads=2 >"$tmp/out" 2>&1
    rc=$?
    [ $rc -eq 2 ] && grep -q "bad --threads: 2 (node sink is placed on thread 2, which needs at least 3 threads)" \
        "$tmp/out" || echo "placed --threads=2: status $rc, $(head -1 "$tmp/out")" >>"$tmp/p"
    "$tmp/placed" --threads=4 >"$tmp/out" 2>&1
    [ $? -eq 2 ] && grep -q "bad --threads: 4 (expected an integer from 1 to 3)" "$tmp/out" \
        || echo "placed --threads=4: $(head -1 "$tmp/out")" >>"$tmp/p"
fi
check main-threads-run "$tmp/p"
