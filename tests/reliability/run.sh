#!/usr/bin/env bash
# tests/reliability/run.sh — generated programs (agdfc --main) where the
# runtime must neither hang nor fail silently: 70,000 offloads in one batch,
# a halt while an offloaded call never returns (exit 3 in bounded time), eight
# offloaded calls that must all run at once (the pool sized from max_tasks),
# fd waits (with and without a timeout) on fds that are not open, a sleep
# forever ended by a halt, SIGTERM ending a run whose only work is a sleep
# forever, a second SIGTERM abandoning a call that never returns, a body
# in a C file returning 1, a `return 0;` hidden in a macro in the middle of
# a window (and of an on_close, also without the cleanup attribute that
# stores the body's window copy back), and the program's numeric flags: values it cannot
# honour exit 2 naming the value and the accepted range.  One "PASS name" /
# "FAIL name" line per check, details indented.  About 10 s on 2 idle cores.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-rel.XXXXXX")
trap 'rm -rf "$T"' EXIT
CFLAGS="-std=c99 -Wall -Wextra -Wpedantic -Werror -O1 -I$root/runtime -I$T"

pass() { echo "PASS reliability/$1"; }
fail() { echo "FAIL reliability/$1"; sed 's/^/    /' | head -n 20; }

make -s bin/agdfc lib/libagdf.a >"$T/make.log" 2>&1 || { fail build <"$T/make.log"; exit 0; }

build() {                   # build NAME [extra C files]: $T/NAME from tests/reliability/NAME.agdf
    local n=$1
    shift
    if bin/agdfc --main -o "$T/$n.c" "tests/reliability/$n.agdf" 2>"$T/$n.log" &&
       cc $CFLAGS -o "$T/$n" "$T/$n.c" "$@" lib/libagdf.a -lpthread 2>>"$T/$n.log"; then
        return 0
    fi
    fail "$n-build" <"$T/$n.log"
    return 1
}

run() {                     # run NAME SECONDS ARGS...: exit status in $rc, output in $T/out, $T/err
    local n=$1 secs=$2
    shift 2
    timeout "$secs" "$T/$n" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}

expect() {                  # expect CHECK STATUS [STDOUT-LINE] [STDERR-TEXT]
    local name=$1 want=$2 out=${3:-} err=${4:-}
    if [ "$rc" -ne "$want" ]; then
        { echo "exit status $rc, expected $want"; cat "$T/err"; } | fail "$name"
    elif [ -n "$out" ] && ! grep -qxF "$out" "$T/out"; then
        { echo "stdout lacks: $out"; cat "$T/out"; } | fail "$name"
    elif [ -n "$err" ] && ! grep -qF -- "$err" "$T/err"; then
        { echo "stderr lacks: $err"; cat "$T/err"; } | fail "$name"
    else
        pass "$name"
    fi
}

if build offload_burst; then
    run offload_burst 60
    expect offload-burst-70000 0 "70000 calls, sum 2449965000"
fi

if build halt_blocked; then
    start=$(date +%s)
    run halt_blocked 20
    expect halt-while-call-blocked 3 "" "halted due to an exception in failer node"
    [ $(( $(date +%s) - start )) -le 5 ] && pass halt-while-call-blocked-time \
        || echo "took $(( $(date +%s) - start )) s" | fail halt-while-call-blocked-time
fi

if build meet8; then
    grep -q 'meet8_OFFLOAD_THREADS = 8 ' "$T/meet8.h" && pass pool-sized-from-max-tasks \
        || grep OFFLOAD_THREADS "$T/meet8.h" | fail pool-sized-from-max-tasks
    run meet8 30
    expect offload-8-at-once 0 "8 of 8 calls met"
    for bad in 9 -1 x "" 1x 99999999999999999999; do
        run meet8 10 "--offload-threads=$bad"
        expect "offload-threads-refused-[$bad]" 2 "" \
            "bad --offload-threads: $bad (expected an integer from 0 to 8)"
    done
    run meet8 10 --offload-threads=0
    expect offload-threads-0-is-an-error 1 "" "AGDF_OFFLOAD: the graph has no offload threads"
fi

if build bad_fd; then
    run bad_fd 10
    expect invalid-fd-readable 1 "item 5" "ERROR:agdf: waiter: AGDF_WAIT_READABLE of an invalid fd (-1) (tests/reliability/bad_fd.agdf:19)"
    expect invalid-fd-writable 1 "item 5" "ERROR:agdf: waiter: AGDF_WAIT_WRITABLE of an fd that is not open (tests/reliability/bad_fd.agdf:21)"
    expect invalid-fd-readable-for 1 "item 5" "ERROR:agdf: waiter: AGDF_WAIT_READABLE of an invalid fd (-2) (tests/reliability/bad_fd.agdf:23)"
    expect invalid-fd-writable-for 1 "item 5" "ERROR:agdf: waiter: AGDF_WAIT_WRITABLE of an fd that is not open (tests/reliability/bad_fd.agdf:25)"
    grep -q '^item [1-4]$' "$T/out" && { cat "$T/out" | fail invalid-fd-no-item; } || pass invalid-fd-no-item
fi

if build sleep_forever; then
    run sleep_forever 20
    expect sleep-forever-until-halt 3 "" "halted due to an exception in failer node"
    run sleep_forever 20 --virtual-time
    expect sleep-forever-until-halt-virtual 3 "" "halted due to an exception in failer node"
    [ -s "$T/out" ] && { cat "$T/out" | fail sleep-forever-never-wakes; } || pass sleep-forever-never-wakes
fi

# signal NAME CHECK SIGNALS...: starts $T/NAME, waits for its first line, sends
# each signal 0.2 s apart; the program must exit 4 (stopped) within 5 s.
signal() {
    local n=$1 check=$2 start s i
    shift 2
    "$T/$n" >"$T/out" 2>"$T/err" &
    local pid=$!
    for i in $(seq 50); do [ -s "$T/out" ] && break; sleep 0.1; done
    start=$(date +%s)
    for s in "$@"; do sleep 0.2; kill -"$s" $pid 2>/dev/null; done
    for i in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
    kill -0 $pid 2>/dev/null && { kill -KILL $pid; echo "still running after 5 s" | fail "$check"; wait $pid; return; }
    wait $pid
    rc=$?
    expect "$check" 4
}

if build stop_sleep; then
    signal stop_sleep sigterm-ends-sleep-forever TERM
fi

if build stop_blocked; then
    signal stop_blocked second-sigterm-abandons-blocked-call TERM TERM
fi

if build macro_return; then
    run macro_return 10 --stats
    expect return-in-macro-ends-invocation 0 "items 21 sum 2999" "INFO:agdf: keep - in=30, out=21, err=0"
fi
# The same where the body walks agdf_io itself, as on a compiler without the
# cleanup attribute that stores the window copy back (agdf.h, AGDF__WINDOW).
if build macro_return -DAGDF__NO_CLEANUP; then
    run macro_return 10 --stats
    expect return-in-macro-without-cleanup 0 "items 21 sum 2999" "INFO:agdf: keep - in=30, out=21, err=0"
fi

if build bad_return tests/reliability/bad_return_impl.c; then
    run bad_return 10
    expect bad-return-is-error 1 "item 3" "ERROR:agdf: check: body returned 1 (AGDF_SUSPENDED) without suspending"
    run bad_return 10 --stats
    expect bad-return-counted 1 "" "INFO:agdf: check - in=3, out=0, err=1"
    # --log-interval: what cannot be honoured exits 2, naming the value and the range
    for bad in 0.0004 0 -1 nan inf 1e10 4294967.296 1x ""; do
        run bad_return 10 "--log-interval=$bad"
        expect "log-interval-refused-[$bad]" 2 "" \
            "bad --log-interval: $bad (expected seconds from 0.001 to 4294967.295)"
    done
    for good in 0.001 4294967.295; do
        run bad_return 10 "--log-interval=$good"
        expect "log-interval-accepted-[$good]" 1 "item 3"
    done
    run bad_return 10 --stats --log-nodes=check,check,src
    expect log-nodes-repeat 1 "" "INFO:agdf: check - in=3, out=0, err=1"
    [ "$(grep -c 'INFO:agdf: check' "$T/err")" = 1 ] && pass log-nodes-repeat-once \
        || fail log-nodes-repeat-once <"$T/err"
    run bad_return 10 --log-nodes=check,nope
    expect log-nodes-unknown 2 "" "unknown node in --log-nodes: nope"
fi
