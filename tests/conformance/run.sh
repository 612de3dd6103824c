#!/usr/bin/env bash
# tests/conformance/run.sh — holds the generated programs to the reference
# library's behaviour.  Each case_NN.agdf is a random race-free graph that was
# also run on the Python library async-graph-data-flow; case_NN.expected is
# what it printed and case_NN.stats its final statistics (NAME IN OUT ERR).
# For every case this builds `agdfc --main` output with gcc (and clang when
# installed) under -std=c99 -Wall -Wextra -Wpedantic -Werror, runs it with
# `--stats --virtual-time`, and checks: stdout identical, statistics equal,
# exit status 1 exactly when some node raised (0 otherwise).  Each case is
# also built and run under ASan/UBSan (runtime compiled from runtime/*.c with
# the same flags) and a few under valgrind.  Then model.py, an executable model
# of the scheduling rules, is checked against the twelve cases, and 20 random
# graphs of the same kind are generated, their expected output computed by the
# model, and held to it like the cases.  One "PASS name" / "FAIL name" line per
# check, details indented under a FAIL.  Needs bin/agdfc and
# lib/libagdf.a (`make`).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
AGDFC="$ROOT/bin/agdfc"
LIB="$ROOT/lib/libagdf.a"
STRICT="-std=c99 -Wall -Wextra -Wpedantic -Werror"
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
VALGRIND_CASES="case_00 case_05 case_09"
RANDOM_SEEDS=$(seq 1 20)
RUN_TIMEOUT=20

T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-conf.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() {                    # $1: test name; stdin: details
    echo "FAIL $1"
    sed 's/^/    /' | head -n 40
}

if [ ! -x "$AGDFC" ] || [ ! -f "$LIB" ]; then
    echo "bin/agdfc or lib/libagdf.a missing (run make)" | fail "conformance/build"
    exit 1
fi

compilers="gcc"
command -v clang >/dev/null 2>&1 && compilers="gcc clang"
command -v gcc >/dev/null 2>&1 || compilers="${compilers/gcc/cc}"

# The stats lines of a --stats run, as "NAME IN OUT ERR".
stats_of() {
    sed -n 's/^INFO:agdf: \(.*\) - in=\([0-9]*\), out=\([0-9]*\), err=\([0-9]*\)$/\1 \2 \3 \4/p' "$1"
}

# check NAME CASE BIN [WRAPPER...]: runs BIN and compares with the case's data.
check() {
    local name=$1 c=$2 bin=$3
    shift 3
    local tag="$T/${name// /_}"
    local out="$tag.out" err="$tag.err" diff="$tag.diff" rc want_rc msg=""
    (cd "$T" && timeout "$RUN_TIMEOUT" "$@" "$bin" --stats --virtual-time >"$out" 2>"$err")
    rc=$?
    local dir=${CASE_DIR:-$HERE}
    if awk '$4 > 0 { e = 1 } END { exit !e }' "$dir/$c.stats"; then want_rc=1; else want_rc=0; fi
    if ! diff -u "$dir/$c.expected" "$out" >"$diff" 2>&1; then
        msg+="stdout differs from $c.expected:"$'\n'"$(head -n 30 "$diff")"$'\n'
    fi
    if ! diff -u "$dir/$c.stats" <(stats_of "$err") >"$diff" 2>&1; then
        msg+="statistics differ from $c.stats:"$'\n'"$(cat "$diff")"$'\n'
    fi
    if [ "$rc" -ne "$want_rc" ]; then
        msg+="exit status $rc, expected $want_rc"$'\n'"stderr:"$'\n'"$(head -n 20 "$err")"$'\n'
    fi
    if [ -n "$msg" ]; then printf '%s' "$msg" | fail "$name"; else echo "PASS $name"; fi
    rm -f "$out" "$err"
}

# The sanitizer build of the runtime, compiled once.
san_lib=""
mkdir -p "$T/san"
if (cd "$T/san" && for f in "$ROOT"/runtime/*.c; do
        gcc $STRICT -D_POSIX_C_SOURCE=200809L -O1 -g $SAN -I"$ROOT/runtime" -c "$f" || exit 1
    done && ar rcs libagdf-san.a ./*.o) >"$T/san.log" 2>&1; then
    san_lib="$T/san/libagdf-san.a"
else
    fail "conformance/runtime-asan-build" <"$T/san.log"
fi

# case_job CASE: every build and run of one reference case.
case_job() {
    local c=$1 cc
    if ! "$AGDFC" --main "$HERE/$c.agdf" -o "$T/$c.c" >"$T/$c.agdfc.log" 2>&1; then
        fail "$c agdfc" <"$T/$c.agdfc.log"
        return
    fi
    for cc in $compilers; do
        if $cc $STRICT -O2 -I"$ROOT/runtime" -I"$T" "$T/$c.c" "$LIB" -lpthread -o "$T/$c.$cc" >"$T/$c.$cc.log" 2>&1; then
            check "$c $cc" "$c" "$T/$c.$cc"
        else
            fail "$c $cc" <"$T/$c.$cc.log"
        fi
    done
    if [ -n "$san_lib" ]; then
        if gcc $STRICT -O1 -g $SAN -I"$ROOT/runtime" -I"$T" "$T/$c.c" "$san_lib" -lpthread -o "$T/$c.san" >"$T/$c.san.log" 2>&1; then
            ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
                check "$c asan+ubsan" "$c" "$T/$c.san"
        else
            fail "$c asan+ubsan" <"$T/$c.san.log"
        fi
    fi
}

# rand_job SEED: a random graph, its expected output from the model, held to it.
rand_job() {
    local c="rand_$1"
    if ! python3 "$HERE/model.py" gen "$1" "$T/rand" >"$T/$c.gen.log" 2>&1; then
        fail "$c model" <"$T/$c.gen.log"
        return
    fi
    if ! "$AGDFC" --main "$T/rand/$c.agdf" -o "$T/$c.c" >"$T/$c.agdfc.log" 2>&1; then
        fail "$c agdfc" <"$T/$c.agdfc.log"
        return
    fi
    if gcc $STRICT -O0 -I"$ROOT/runtime" -I"$T" "$T/$c.c" "$LIB" -lpthread -o "$T/$c" >"$T/$c.cc.log" 2>&1; then
        CASE_DIR="$T/rand" check "$c" "$c" "$T/$c"
    else
        fail "$c gcc" <"$T/$c.cc.log"
    fi
}

# Jobs run in parallel, as many as there are processors; each writes its lines
# to its own file, printed in order at the end.
jobs_max=$(nproc 2>/dev/null || echo 2)
running=0
results=""
spawn() {                   # spawn NAME COMMAND...
    local name=$1
    shift
    if [ "$running" -ge "$jobs_max" ]; then
        wait -n
        running=$((running - 1))
    fi
    "$@" >"$T/$name.result" 2>&1 &
    running=$((running + 1))
    results="$results $name"
}

have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1
mkdir -p "$T/rand"
for src in "$HERE"/case_*.agdf; do
    spawn "$(basename "$src" .agdf)" case_job "$(basename "$src" .agdf)"
done
if [ "$have_python" = 1 ]; then
    for seed in $RANDOM_SEEDS; do
        spawn "rand_$seed" rand_job "$seed"
    done
fi
wait
for r in $results; do
    cat "$T/$r.result"
done

if command -v valgrind >/dev/null 2>&1; then
    for c in $VALGRIND_CASES; do
        [ -x "$T/$c.gcc" ] || continue
        check "$c valgrind" "$c" "$T/$c.gcc" valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    done
else
    echo "note: valgrind not installed, its runs skipped"
fi

# The model of the scheduling rules (model.py) must agree with the reference on
# the twelve cases (the random graphs above are only as good as the model).
if [ "$have_python" = 1 ]; then
    for src in "$HERE"/case_*.agdf; do
        c=$(basename "$src" .agdf)
        if python3 "$HERE/model.py" check "$src" >"$T/model.log" 2>&1; then
            echo "PASS model $c"
        else
            fail "model $c" <"$T/model.log"
        fi
    done
else
    echo "note: python3 not installed, the model and random graphs skipped"
fi
