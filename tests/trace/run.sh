#!/usr/bin/env bash
# tests/trace/run.sh — the --trace=FILE suite (docs/tracing.md).  It builds
# tests/trace/pipe.agdf (a node of three tasks that sleeps, offloads and raises)
# against lib/libagdf.a, runs it with --trace, and has check.py validate the
# file against the trace-event format and the run's --stats; then the same
# graph with halt_on_exception (a halt instant, drained queues), under virtual
# time, with a 256-byte trace buffer (the runtime compiled with
# -DAGDF_TRACE_BUF=256: a write() every few events), under ThreadSanitizer (the
# workers' call records), with a file that cannot be written (/dev/full: one
# error line, the run unchanged) and one that cannot be created (exit 2); and
# from a program's own main (own_main.c: agdf_trace_open, EBUSY, one run or two
# init + run in one trace, with and without a halt).  One
# "PASS name" / "FAIL name" line per check, details indented.  About 20 s.
set -u
cd "$(dirname "$0")/../.."
T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-trace.XXXXXX")
trap 'rm -rf "$T"' EXIT
CFLAGS="-std=c99 -O2 -Wall -Wextra -Wpedantic -Werror"
TASKS="--tasks=src=1,work=3,sink=1"
MSG='--message=bad "item"\n7 \ufffd'

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; sed 's/^/    /' | head -n 30; }

if ! make -s bin/agdfc lib/libagdf.a >"$T/make.log" 2>&1; then
    fail trace/build <"$T/make.log"
    exit 0
fi

# build NAME CC-FLAGS RUNTIME...: the graph as $T/NAME (pipe.agdf, or the halt
# variant when NAME contains "halt").
build() {
    local name=$1 flags=$2; shift 2
    if [[ $name == *halt* ]]; then
        sed 's/^graph pipe;/graph pipe [halt_on_exception = true];/' tests/trace/pipe.agdf >"$T/$name.agdf"
    else
        cp tests/trace/pipe.agdf "$T/$name.agdf"
    fi
    bin/agdfc --main "$T/$name.agdf" -o "$T/$name.c" 2>"$T/$name.log" &&
        cc $CFLAGS $flags -Iruntime -I"$T" "$T/$name.c" "$@" -lpthread -o "$T/$name" 2>>"$T/$name.log"
}

# check NAME STATUS RUN-ARGS -- CHECK-ARGS: runs $T/NAME --stats --trace=..., wants
# exit STATUS, then check.py.
check() {
    local name=$1 status=$2 prog=$3 args=$4; shift 4
    local f="$T/$name.json" st
    "$T/$prog" --stats --trace="$f" $args >"$T/$name.out" 2>"$T/$name.err"
    st=$?
    if [ "$st" != "$status" ]; then
        { echo "exit status $st, expected $status"; cat "$T/$name.err"; } | fail "trace/$name"
    elif python3 tests/trace/check.py "$f" "$T/$name.err" "$@" >"$T/$name.check" 2>&1; then
        pass "trace/$name"
    else
        fail "trace/$name" <"$T/$name.check"
    fi
}

if build pipe "" lib/libagdf.a; then
    # 20 items: each sleeps (a suspension), 0 5 10 15 are offloaded, 7 raises.
    check run 1 pipe "" $TASKS --offloads=4 --min-slices=work=24 "$MSG"
    check virtual-time 1 pipe --virtual-time $TASKS --offloads=4 --min-slices=work=24 "$MSG"
    "$T/pipe" --help >"$T/help.out" 2>&1
    if grep -aq -- '--trace=FILE' "$T/help.out"; then pass trace/help; else fail trace/help <"$T/help.out"; fi

    # /dev/full: the run is the same, one error line, tracing stops
    "$T/pipe" --stats >"$T/plain.out" 2>"$T/plain.err"; st0=$?
    "$T/pipe" --stats --trace=/dev/full >"$T/full.out" 2>"$T/full.err"; st=$?
    nerr=$(grep -ac '^ERROR:agdf: trace /dev/full: .*; tracing stopped$' "$T/full.err")
    if [ "$st" = "$st0" ] && [ "$nerr" = 1 ] && cmp -s "$T/plain.out" "$T/full.out" &&
       diff <(grep -av 'agdf: trace' "$T/full.err") "$T/plain.err" >/dev/null; then
        pass trace/write-error
    else
        { echo "status $st (want $st0), $nerr error lines (want 1):"; cat "$T/full.err"; } |
            fail trace/write-error
    fi

    "$T/pipe" --trace="$T/no/such/dir/t.json" >"$T/nodir.out" 2>&1; st=$?
    if [ "$st" = 2 ] && grep -aq 'cannot write --trace file .*No such file' "$T/nodir.out"; then
        pass trace/open-error
    else
        { echo "status $st (want 2)"; cat "$T/nodir.out"; } | fail trace/open-error
    fi
else
    fail trace/build-pipe <"$T/pipe.log"
fi

if build halt "" lib/libagdf.a; then
    # item 7 halts: its raise, one halt instant, the queues emptied at the end
    check halt 3 halt "" $TASKS --halts=1 "$MSG"
else
    fail trace/build-halt <"$T/halt.log"
fi

if build tiny "-DAGDF_TRACE_BUF=256" runtime/*.c; then
    check small-buffer 1 tiny "" $TASKS --offloads=4 --min-slices=work=24 "$MSG"
else
    fail trace/build-small-buffer <"$T/tiny.log"
fi

# A program's own main: agdf_trace_open, then one run or two (init + run
# again: the trace follows both, the second after the first on every track),
# without and with a halt.  own NAME GRAPH RUNS CHECK-ARGS...
own() {
    local name=$1 graph=$2 runs=$3; shift 3
    local f="$T/$name.json" st
    "$T/$graph" "$f" "$runs" >"$T/$name.out" 2>"$T/$name.err"
    st=$?
    if [ "$st" != 0 ]; then
        { echo "exit status $st"; cat "$T/$name.err"; } | fail "trace/$name"
    elif python3 tests/trace/check.py "$f" "$T/$name.err" "$@" >"$T/$name.check" 2>&1; then
        pass "trace/$name"
    else
        fail "trace/$name" <"$T/$name.check"
    fi
}
for v in own own-halt; do
    if [[ $v == *halt* ]]; then
        sed 's/^graph pipe;/graph pipe [halt_on_exception = true];/' tests/trace/pipe.agdf >"$T/$v.agdf"
    else
        cp tests/trace/pipe.agdf "$T/$v.agdf"
    fi
    mkdir -p "$T/$v"
    if bin/agdfc "$T/$v.agdf" -o "$T/$v/pipe.c" 2>"$T/$v.log" &&
       cc $CFLAGS -Iruntime -I"$T/$v" tests/trace/own_main.c "$T/$v/pipe.c" lib/libagdf.a \
           -lpthread -o "$T/$v/prog" 2>>"$T/$v.log"; then
        :
    else
        fail "trace/build-$v" <"$T/$v.log"
    fi
done
if [ -x "$T/own/prog" ]; then
    own own-main own/prog 1 $TASKS --offloads=4 --min-slices=work=24 "$MSG"
    own own-main-two-runs own/prog 2 $TASKS --offloads=8 --min-slices=work=48 "$MSG"
fi
if [ -x "$T/own-halt/prog" ]; then
    own own-main-two-halts own-halt/prog 2 $TASKS --halts=2 "$MSG"
fi

# ThreadSanitizer: workers record their calls while the scheduler flushes
if echo 'int main(void){return 0;}' | cc -fsanitize=thread -x c - -o "$T/tsan-probe" 2>/dev/null &&
   "$T/tsan-probe" 2>/dev/null; then
    if build tsan "-O1 -g -fsanitize=thread" runtime/*.c; then
        TSAN_OPTIONS="halt_on_error=1 exitcode=66" \
            check tsan 1 tsan "" $TASKS --offloads=4 --min-slices=work=24 "$MSG"
    else
        fail trace/build-tsan <"$T/tsan.log"
    fi
else
    echo "  (ThreadSanitizer unavailable: trace/tsan skipped)"
fi
