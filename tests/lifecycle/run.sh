#!/usr/bin/env bash
# tests/lifecycle/run.sh — the life cycle of a run (docs/runtime.md §7): a host
# pushing 1,000,000 items into an input with queue_size 8 (AGDF_FULL honoured,
# nothing lost, the room hook called), another thread posting 200,000 items
# (post_host.c: the inbox, the wake pipe, agdf_wait), an input keeping a graph idle and alive
# for 2 s of virtual time until closed, on_close blocks (yielding, suspending,
# one per task, started when the node's own input is finished while endless
# branches run beside), an abort counting its dropped items, SIGTERM draining a --main
# program (statistics printed, exit 4, nothing yielded lost), fd waits with a
# timeout (virtual and real time), a host poll() loop serving loopback TCP with
# the graph's fd waits in it (tcp_host.c, tcp_client.py), a --main TCP line
# server with a connection timeout drained by SIGTERM, a stdin tool whose
# totals come from on_close (examples/word_count), program arguments, and the
# compile-time rules of input nodes, SIGTERM during a blocking offload,
# on_close raising or halting
# (close_raise.agdf, close_halt.agdf), and agdf_stop racing the end of runs under
# ThreadSanitizer (stop_race.c).  One PASS/FAIL line per check; budget
# 60 s (measured: 8 s of CPU, 27-43 s wall on the shared 2-core machine).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
AGDFC="$ROOT/bin/agdfc"
LIB="$ROOT/lib/libagdf.a"
T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-lifecycle.XXXXXX")
trap 'rm -rf "$T"' EXIT
CFLAGS="-std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I$ROOT/runtime -I$T"

fail() {                    # $1: test name; stdin: details
    echo "FAIL $1"
    sed 's/^/    /' | tail -n 30
}

# build NAME [MAIN.c [PROG]]: compiles NAME.agdf (with --main when no MAIN.c)
# with gcc and, when installed, clang; the gcc program is $T/PROG (NAME).
build() {
    local name=$1 main=${2:-} prog=${3:-$1} flags=--main cc
    [ -n "$main" ] && flags=
    if ! "$AGDFC" $flags "$HERE/$name.agdf" -o "$T/$name.c" >"$T/$name.log" 2>&1; then
        fail "lifecycle build $name" <"$T/$name.log"
        return 1
    fi
    for cc in gcc clang; do
        command -v $cc >/dev/null 2>&1 || continue
        if ! $cc $CFLAGS "$T/$name.c" ${main:+"$HERE/$main"} "$LIB" -lpthread \
                -o "$T/$prog.$cc" >"$T/$name.log" 2>&1; then
            fail "lifecycle build $prog ($cc)" <"$T/$name.log"
            return 1
        fi
    done
    cp "$T/$prog.gcc" "$T/$prog"
}

# expect NAME OUTPUT-FILE EXPECTED-TEXT
expect() {
    if diff <(printf '%s\n' "$3") "$2" >"$T/diff" 2>&1; then
        echo "PASS $1"
    else
        fail "$1" <"$T/diff"
    fi
}

if build push push_host.c; then
    "$T/push" >"$T/out" 2>"$T/err"
    cat "$T/err" >>"$T/out"
    expect "lifecycle push 1,000,000 items, queue_size 8" "$T/out" "total: n=1000000 sum=999999000000
pushed=1000000 full>0:1 rooms>0:1 status=0
INFO:agdf: feed - in=0, out=1000000, err=0
INFO:agdf: square - in=1000000, out=1000000, err=0
INFO:agdf: total - in=1000000, out=0, err=0"
fi

if build push post_host.c post; then
    "$T/post" >"$T/out" 2>"$T/err"
    cat "$T/err" >>"$T/out"
    expect "lifecycle another thread posts 200,000 items through the inbox" "$T/out" \
"total: n=200000 sum=39999800000
status=0 closed=1
INFO:agdf: feed - in=0, out=200000, err=0
INFO:agdf: square - in=200000, out=200000, err=0
INFO:agdf: total - in=200000, out=0, err=0"
fi

if build idle idle_host.c; then
    "$T/idle" >"$T/out" 2>&1
    expect "lifecycle idle until closed, on_close, abort" "$T/out" "tick done at 2000 ms
step: IDLE wait=-1 now=2000
step: IDLE wait=-1 now=2000
push 1: 0
push 2: 0
push 3: 1
room: 0
show 1
show 2
step: IDLE wait=-1 now=2000
push after close: CLOSED
cmd closed
show -1
show task 0 closed after 3 items
show task 1 closed after 0 items
step: DONE wait=0 now=2010
status: 0
step: DONE wait=0 now=0
aborted: status 3, cmd dropped 2"
fi

if build endless; then
    timeout 20 "$T/endless" --virtual-time --stats >"$T/out" 2>&1
    echo "exit $?" >>"$T/out"
    expect "lifecycle on_close when the node's input is finished, endless branches beside" \
        "$T/out" "total: 5050 from 3 parts at 0 ms
spin: saw total closed
tick: saw total closed
INFO:agdf: tick - in=0, out=0, err=0
INFO:agdf: spin - in=0, out=0, err=0
INFO:agdf: gen - in=0, out=100, err=0
INFO:agdf: add - in=100, out=3, err=0
INFO:agdf: total - in=3, out=0, err=0
exit 0"
fi

# agdf_stop from another thread as runs end: the runtime itself built with
# ThreadSanitizer, so a write(2) racing the wake pipe's close(2) is reported.
if [ -f "$T/push.c" ] && echo 'int main(void){return 0;}' >"$T/tsan.c" &&
   gcc -fsanitize=thread "$T/tsan.c" -o "$T/tsan" >/dev/null 2>&1 && "$T/tsan"; then
    if gcc -std=c99 -O1 -g -fsanitize=thread -Wall -Wextra -Werror -I"$ROOT/runtime" -I"$T" \
            "$HERE/stop_race.c" "$T/push.c" "$ROOT"/runtime/agdf*.c -lpthread \
            -o "$T/stop_race" >"$T/race.log" 2>&1 &&
       TSAN_OPTIONS=halt_on_error=1 "$T/stop_race" >"$T/out" 2>"$T/race.log" &&
       ! grep -q ThreadSanitizer "$T/race.log" &&
       [ "$(tail -n 1 "$T/out")" = "runs: 200, each OK or STOPPED: 1" ]; then
        echo "PASS lifecycle agdf_stop from another thread as runs end (TSan)"
    else
        { tail -n 3 "$T/out"; cat "$T/race.log"; } | fail "lifecycle agdf_stop from another thread as runs end (TSan)"
    fi
else
    echo "lifecycle: no ThreadSanitizer here, stop_race.c skipped" >&2
fi

if build close_raise && build close_halt; then
    for p in close_raise close_halt; do        # stdout, then stderr without the directory
        "$T/$p" --stats 2>"$T/err"
        echo "exit $?"
        sed 's|(/[^)]*/|(|' "$T/err"
    done >"$T/out"
    expect "lifecycle on_close: once per task of 3, a raise in one, a halt in another graph" "$T/out" \
"work task 0: 6 items
work task 1: 0 items
work task 2: 0 items
sink: 8 items, sum 217
exit 1
ERROR:agdf: work: task 1 raises in on_close (close_raise.agdf:13)
INFO:agdf: gen - in=0, out=6, err=0
INFO:agdf: work - in=6, out=8, err=1
INFO:agdf: sink - in=8, out=0, err=0
sink 0
sink 1
sink 2
work closes
exit 3
ERROR:agdf: work: halt in on_close (close_halt.agdf:11)
ERROR:agdf: Pipeline execution halted due to an exception in work node
INFO:agdf: gen - in=0, out=3, err=0
INFO:agdf: work - in=3, out=3, err=1
INFO:agdf: sink - in=3, out=0, err=0"
fi

if build offload_stop; then
    "$T/offload_stop" >"$T/out" 2>"$T/err" &
    pid=$!
    sleep 1
    kill -TERM $pid
    wait $pid
    rc=$?
    made=$(sed -n 's/^INFO:agdf: src - in=0, out=\([0-9]*\),.*/\1/p' "$T/err")
    if [ $rc -eq 4 ] && [ -n "$made" ] && [ "$made" -gt 0 ] &&
       [ "$(cat "$T/out")" = "sink: $made items" ]; then
        echo "PASS lifecycle SIGTERM during a blocking offload drains, exit 4"
    else
        { echo "exit $rc"; cat "$T/out" "$T/err"; } | fail "lifecycle SIGTERM during a blocking offload drains, exit 4"
    fi
fi

if build drain; then
    "$T/drain" >"$T/out" 2>"$T/err" &
    pid=$!
    sleep 0.5
    kill -TERM $pid
    wait $pid
    rc=$?
    out=$(cat "$T/out")
    made=$(sed -n 's/^INFO:agdf: produce - in=0, out=\([0-9]*\),.*/\1/p' "$T/err")
    if [ $rc -eq 4 ] && [ -n "$made" ] && [ "$made" -gt 0 ] &&
       [ "$out" = "sink: $made items, last $((made - 1))" ] &&
       grep -q "^INFO:agdf: sink - in=$made, out=0, err=0" "$T/err"; then
        echo "PASS lifecycle SIGTERM drains, nothing lost, exit 4"
    else
        { echo "exit $rc, produced '$made'"; cat "$T/out" "$T/err"; } | fail "lifecycle SIGTERM drains, nothing lost, exit 4"
    fi
    "$T/drain" >"$T/out" 2>"$T/err" &
    pid=$!
    sleep 0.5
    kill -INT $pid
    kill -INT $pid
    wait $pid
    rc=$?
    if [ $rc -eq 4 ] && grep -q "^INFO:agdf: sink - in=" "$T/err"; then
        echo "PASS lifecycle second SIGINT aborts, exit 4"
    else
        { echo "exit $rc"; cat "$T/out" "$T/err"; } | fail "lifecycle second SIGINT aborts, exit 4"
    fi
fi

wc_prog="$ROOT/examples/word_count/build/word_count"
if make -s -C "$ROOT/examples/word_count" build/word_count >"$T/wc.log" 2>&1; then
    printf 'one two\nthree\n  four  ' | "$wc_prog" >"$T/out" 2>&1
    expect "lifecycle word_count stdin, totals from on_close" "$T/out" "2 4 22"
    printf 'a b c\n' | "$wc_prog" --stats -- - >"$T/out" 2>&1
    expect "lifecycle word_count -- - (arguments to the graph)" "$T/out" "1 3 6
INFO:agdf: read_input - in=0, out=0, err=0
INFO:agdf: count - in=0, out=0, err=0"
    # 3,000 lines of 300 bytes through the input node's 8 slots: AGDF_FULL honoured
    awk 'BEGIN { for (i = 0; i < 3000; i++) { for (j = 0; j < 50; j++) printf "w%04d ", i % 10000; print "" } }' \
        >"$T/big.txt"
    "$wc_prog" <"$T/big.txt" >"$T/out" 2>&1
    expect "lifecycle word_count: 3,000 long lines through an 8-slot input, none lost" "$T/out" \
        "$(wc -l <"$T/big.txt") $(wc -w <"$T/big.txt") $(wc -c <"$T/big.txt")"
    # SIGTERM while the reader waits on an open stdin: count's input is closed,
    # its on_close prints the totals of what was read, statistics, exit 4
    (printf 'a b\nc\n'; sleep 3) | "$wc_prog" >"$T/out" 2>&1 &
    pid=$!
    sleep 0.5
    kill -TERM $pid
    wait $pid
    echo "exit $?" >>"$T/out"
    expect "lifecycle word_count: SIGTERM on an open stdin drains, totals from on_close" "$T/out" \
        "2 3 6
INFO:agdf: read_input - in=0, out=0, err=0
INFO:agdf: count - in=0, out=0, err=0
exit 4"
    "$wc_prog" --help >"$T/out" 2>&1
    if grep -q '^word_count \[FILE\]: prints the lines' "$T/out" && grep -q '100% of the input' "$T/out"; then
        echo "PASS lifecycle --help shows the %usage{ } text"
    else
        fail "lifecycle --help shows the %usage{ } text" <"$T/out"
    fi
else
    fail "lifecycle word_count build" <"$T/wc.log"
fi

if build only_input; then
    "$T/only_input" x y >"$T/out" 2>&1
    rc=$?
    echo "exit $rc" >>"$T/out"
    expect "lifecycle --main closes an input nothing can feed; agdf_argv" "$T/out" \
        "cmd closed after 0, argc 3, argv[1] x
argv[2] y
exit 0"
    "$T/only_input" -n 3 --stats --limit=3 -x -- --stats -h >"$T/out" 2>&1
    rc=$?
    echo "exit $rc" >>"$T/out"
    expect "lifecycle --main passes unknown options and all after -- to the graph" "$T/out" \
        "cmd closed after 0, argc 7, argv[1] -n
argv[2] 3
argv[3] --limit=3
argv[4] -x
argv[5] --stats
argv[6] -h
INFO:agdf: cmd - in=0, out=0, err=0
exit 0"
    for bad in --log-interval=abc --log-interval --trace= --log-nodes=nosuch; do
        "$T/only_input" "$bad" >"$T/out" 2>&1
        rc=$?
        if [ $rc -eq 2 ] && [ -s "$T/out" ] && ! grep -q 'cmd closed' "$T/out"; then
            echo "PASS lifecycle --main: $bad is a usage error"
        else
            { echo "exit $rc"; cat "$T/out"; } | fail "lifecycle --main: $bad is a usage error"
        fi
    done
    if [ -s "$T/only_input.log" ]; then
        fail "lifecycle input node: no warning" <"$T/only_input.log"
    else
        echo "PASS lifecycle input node: no warning"
    fi
fi

if build timeout; then
    "$T/timeout" --virtual-time >"$T/out" 2>&1
    expect "lifecycle AGDF_WAIT_*_FOR, AGDF_AWAIT_FOR in virtual time" "$T/out" "other slept until 100 ms
await other: timed out 0 at 100 ms
await never: timed out 1 at 400 ms
await true at once: timed out 0
empty pipe: timed out 1 at 500 ms
pipe with data: timed out 0 at 500 ms
writable, no timeout: timed out 0"
    "$T/timeout" >"$T/out" 2>&1
    if grep -Eq "^empty pipe: timed out 1 at 5[0-9][0-9] ms" "$T/out" &&
       grep -q "^pipe with data: timed out 0" "$T/out" &&
       grep -Eq "^await never: timed out 1 at 4[0-9][0-9] ms" "$T/out"; then
        echo "PASS lifecycle AGDF_WAIT_READABLE_FOR, AGDF_AWAIT_FOR in real time"
    else
        fail "lifecycle AGDF_WAIT_READABLE_FOR, AGDF_AWAIT_FOR in real time" <"$T/out"
    fi
fi

if build echo tcp_host.c && command -v python3 >/dev/null 2>&1; then
    "$T/echo" >"$T/tcp.out" 2>"$T/tcp.err" &
    pid=$!
    timeout 20 python3 "$HERE/tcp_client.py" "$T/tcp.out" >"$T/client.out" 2>&1
    wait $pid
    echo "exit $?" >>"$T/client.out"
    sed 1d "$T/tcp.out" >>"$T/client.out"
    cat "$T/tcp.err" >>"$T/client.out"
    expect "lifecycle a poll loop serving loopback TCP runs the graph in its thread" \
        "$T/client.out" "HELLO WORLD
100 LINE 0 LINE 99
exit 0
replies: 102
INFO:agdf: req - in=0, out=102, err=0
INFO:agdf: upper - in=102, out=102, err=0
INFO:agdf: reply - in=102, out=0, err=0"
fi

if build line_server && command -v python3 >/dev/null 2>&1; then
    "$T/line_server" "$T/port" >"$T/ls.out" 2>"$T/ls.err" &
    pid=$!
    timeout 20 python3 "$HERE/line_client.py" "$T/port" >"$T/client.out" 2>&1
    kill -TERM $pid
    wait $pid
    echo "exit $?" >>"$T/client.out"
    cat "$T/ls.out" "$T/ls.err" >>"$T/client.out"
    expect "lifecycle --main TCP line server: connection timeout, SIGTERM drain" \
        "$T/client.out" "olleh
fdga
timeout after about 1 s: True
exit 4
served 2 lines, 1 timeouts
INFO:agdf: listener - in=0, out=2, err=0
INFO:agdf: serve - in=2, out=0, err=0"
fi

"$AGDFC" "$HERE/bad_input.agdf" -o "$T/bad.c" >"$T/out" 2>&1
echo "exit $?" >>"$T/out"
expect "lifecycle edge into an input node is an error" "$T/out" \
"$HERE/bad_input.agdf:3:8: error: edge into input node 'in': an input is fed by the host (bad_input_push_in) and start statements, not by edges
src -> in;
       ^
exit 1"
