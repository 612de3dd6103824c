#!/usr/bin/env bash
# tests/random/run.sh — random valid graphs that check their own deliveries.
# tests/random/gen.py writes RANDOM_GRAPHS graphs (seeds RANDOM_SEED, ...) in
# batches of RANDOM_BATCH; each graph is compiled with `agdfc --main` and its
# main() renamed (-Dmain=rgSEED_main), so a batch links into ONE program
# (built with ASan/UBSan, against the sanitizer build of the runtime) that runs
# each graph under virtual time and checks, through tests/random/rg.h:
# conservation on every edge (count and checksum; with a halt, per node
# in + start items == invocations + dropped, and nothing run after the halt),
# the statistics and the --stats and ERROR lines against the counted
# deliveries, the exit status (0, 1, 3; 2 for a malformed flag value) and
# termination (an alarm per graph, a timeout per batch).  One
# "PASS random/batch ..." / "FAIL random/batch ..." line per batch, with the
# command that reproduces a failure.
#
# Environment: RANDOM_GRAPHS (default 200), RANDOM_SEED (first seed, default 1),
# RANDOM_BATCH (graphs per program, default 25), RANDOM_JOBS (parallel
# compilations, default: number of cores), RANDOM_KEEP=DIR (keep every
# failing batch's sources and program there).  `make soak` runs 3000 graphs.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
COUNT=${RANDOM_GRAPHS:-200}
FIRST=${RANDOM_SEED:-1}
BATCH=${RANDOM_BATCH:-25}
JOBS=${RANDOM_JOBS:-$(nproc 2>/dev/null || echo 2)}
# clang compiles the sanitized generated code about 2.5 times faster than gcc
# (the runtime is compiled here with the same compiler: one sanitizer runtime).
if [ -z "${RANDOM_CC:-}" ]; then
    RANDOM_CC=cc
    command -v clang >/dev/null 2>&1 && RANDOM_CC=clang
fi
CFLAGS="-std=c99 -Wall -Wextra -Wpedantic -Werror -O0 -g -fsanitize=address,undefined
        -fno-sanitize-recover=all -fno-omit-frame-pointer -Iruntime -I$HERE"
export RANDOM_CC CFLAGS

fail() {                    # $1: test name; stdin: details
    echo "FAIL $1"
    sed 's/^/    /' | head -n 60
}

# compile_one DIR/rgSEED.agdf: agdfc --main, then cc -c with main renamed.
if [ "${1:-}" = "--compile" ]; then
    f=$2
    d=$(dirname "$f")
    n=$(basename "$f" .agdf)
    bin/agdfc --main "$f" -o "$d/$n.c" >"$d/$n.log" 2>&1 &&
        $RANDOM_CC $CFLAGS -I"$d" -Dmain="${n}_main" -c -o "$d/$n.o" "$d/$n.c" >>"$d/$n.log" 2>&1
    exit 0
fi

if ! make --no-print-directory -s bin/agdfc >/dev/null 2>"$ROOT/build/random-make.log"; then
    fail "random/build (make bin/agdfc)" <"$ROOT/build/random-make.log"
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 not found (apt-get install python3)" | fail "random/python3"
    exit 0
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-random.XXXXXX")
trap 'rm -rf "$T"' EXIT
if ! python3 "$HERE/gen.py" --batches "$T" "$FIRST" "$COUNT" "$BATCH" 2>"$T/gen.log"; then
    fail "random/gen.py" <"$T/gen.log"
    exit 0
fi

# The runtime, then every graph of every batch, compiled in parallel; then
# one link and run per batch.
mkdir -p "$T/rt"
RUNTIME_SAN=""
for c in runtime/*.c; do
    o="$T/rt/$(basename "$c" .c).o"
    RUNTIME_SAN+=" $o"
    if ! $RANDOM_CC $CFLAGS -c -o "$o" "$c" >"$T/rt.log" 2>&1; then
        fail "random/runtime ($RANDOM_CC $c)" <"$T/rt.log"
        exit 0
    fi
done
ls "$T"/b*/rg*.agdf | xargs -P "$JOBS" -n 1 bash "$HERE/run.sh" --compile

for d in $(ls -d "$T"/b* | sort -V); do
    seeds=$(cat "$d/seeds")
    first=${seeds%% *}
    n=$(wc -w <"$d/seeds")
    name="random/batch seeds $first-${seeds##* }"
    repro="reproduce: RANDOM_SEED=$first RANDOM_GRAPHS=$n bash tests/random/run.sh"
    msg=""
    for s in $seeds; do
        if [ ! -f "$d/rg$s.o" ]; then
            msg+="graph rg$s does not compile (python3 tests/random/gen.py $s > g.agdf):"$'\n'
            msg+="$(head -n 20 "$d/rg$s.log")"$'\n'
        fi
    done
    if [ -z "$msg" ] && ! $RANDOM_CC $CFLAGS -o "$d/batch" "$d/main.c" "$d"/rg*.o $RUNTIME_SAN -lpthread >"$d/link.log" 2>&1; then
        msg+="the batch does not link:"$'\n'"$(head -n 20 "$d/link.log")"$'\n'
    fi
    if [ -z "$msg" ]; then
        timeout 300 "$d/batch" >"$d/out.log" 2>"$d/err.log"
        rc=$?
        if [ $rc -ne 0 ]; then
            msg+="exit status $rc$([ $rc -eq 124 ] && echo ' (timeout)'):"$'\n'
            msg+="$(head -n 40 "$d/out.log")"$'\n'"$(tail -n 20 "$d/err.log")"$'\n'
        fi
    fi
    if [ -n "$msg" ]; then
        printf '%s\n%s' "$repro" "$msg" | fail "$name"
        if [ -n "${RANDOM_KEEP:-}" ]; then
            mkdir -p "$RANDOM_KEEP" && cp -r "$d" "$RANDOM_KEEP/seeds_$first"
        fi
    else
        echo "PASS $name ($(sed -n 's/^[0-9]* graphs, 0 failed: //p' "$d/out.log"))"
    fi
    rm -rf "$d"
done
