#!/usr/bin/env bash
# tests/threads/run.sh — threaded programs (issue 13, docs/threads.md), built
# by agdfc --main and run end to end.  Every program's main() is the
# generated one, renamed (-Dmain=tg_main) and called by tests/threads/tg_main.c,
# which then runs the graph's check (conservation, exact statistics) and
# writes a report.  Checks, one "PASS threads/..." / "FAIL threads/..." line
# each, details indented:
#   random seed S   tests/threads/gen.py's graph S, threads = 2..4, built
#                   with ASan/UBSan twice: without any thread attribute (the
#                   reference) and threaded; the threaded one runs with
#                   --threads=N for N = its threads, and 1 and 2 when its
#                   explicit placement allows.  Without a halt: the same exit
#                   status, the same report (per edge items and checksum, per
#                   node in/out/err/invocations, all equal to gen.py's
#                   simulation), the same multiset of printed lines (stdout)
#                   and of --stats and ERROR lines (stderr).  With a halt (a
#                   node on thread 1): status 3, per node in + start items ==
#                   invocations + dropped, err exact.
#   fanin-q1        queue_size 1 fan-in from three threads, items of 4+4 and
#                   of 0 bytes: none lost, FIFO per producer (fanin_q1.agdf)
#   halt            a halt on thread 1 while threads 0 and 2 run (halt.agdf)
#   timers          timers, an offload and --log-interval reports on 3 threads
#   stop            SIGTERM 0.5 s into an endless run on 3 threads: exit
#                   status 4, in + start items == invocations + dropped
#   tsan ...        ThreadSanitizer (clang -fsanitize=thread, halt_on_error=1):
#                   the runtime and fanin-q1, halt, timers (real and virtual
#                   time) and some random graphs, each with its exit status
#   idle-cpu        idle.agdf: thread 1 sleeps 500 ms on a timer, thread 0
#                   has nothing to do: under 30 ms of CPU (getrusage)
#   flag ...        the generated main()'s --threads=N and --placement: bad
#                   values refused with exit status 2 and a message
#   bench/threads.sh  issue 13's benchmark programs, built and run on 1 and 2
#                   threads with a few items (their sums checked), the chain
#                   placed 2 + 2
# Every run is under `timeout`.  Budget: under 60 s on 2 idle cores, builds
# included.  Environment: THREADS_SEEDS (seed list, default 1-16),
# THREADS_TSAN_SEEDS (default 1-4), THREADS_BIG=1 (gen.py --big: larger
# graphs on up to 8 threads), THREADS_RANDOM_ONLY=1 (only the random graphs),
# THREADS_JOBS (parallel builds, default: the number of cores),
# THREADS_KEEP=DIR (keep the work directory there), THREADS_TIMES=1 (the
# time and CPU of each phase on stderr).  tests/threads/soak.sh
# runs this with larger graphs, in a loop, for a given time.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
SEEDS=${THREADS_SEEDS:-$(seq 1 16)}
TSAN_SEEDS=${THREADS_TSAN_SEEDS:-1 2 3 4}
BIG=$([ "${THREADS_BIG:-0}" = 1 ] && echo --big)
ONLY=${THREADS_RANDOM_ONLY:-0}
JOBS=${THREADS_JOBS:-$(nproc 2>/dev/null || echo 2)}
STRICT="-std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror"
# The runtime at -O1 (its threads overlap as in a real build), the generated
# programs at -O0 (four times faster to compile; their bodies are small)
ASAN="-g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
TSAN="-g -fsanitize=thread"
export STRICT ASAN TSAN HERE

# --build VARIANT DIR NAME: DIR/NAME.c (agdfc's output) into DIR/NAME.VARIANT
# (asan, tsan: clang and $T's runtime objects; plain: cc and lib/libagdf.a).
if [ "${1:-}" = --build ]; then
    v=$2 d=$3 n=$4 rt=$(dirname "$3")
    while [ ! -d "$rt/rt-asan" ]; do rt=$(dirname "$rt"); done
    case $v in
        asan) cc="clang $STRICT $ASAN -O0" libs="$rt/rt-asan/*.o" ;;
        tsan) cc="clang $STRICT $TSAN -O0" libs="$rt/rt-tsan/*.o" ;;
        plain) cc="cc $STRICT -O2" libs="$ROOT/lib/libagdf.a" ;;
    esac
    { $cc -Iruntime -I"$HERE" -I"$d" -Dmain=tg_main -c -o "$d/$n.$v.o" "$d/$n.c" &&
      $cc -o "$d/$n.$v" "$d/$n.$v.o" "$HERE/tg_main.c" $libs -lpthread; } >"$d/$n.$v.log" 2>&1 ||
        rm -f "$d/$n.$v"
    exit 0
fi

pass() { echo "PASS threads/$1"; }
phase() {                   # with THREADS_TIMES: wall and children's CPU so far
    [ -z "${THREADS_TIMES:-}" ] && return
    times >"$T/times"
    echo "threads: $1 at $SECONDS s (CPU user, system: $(tail -n 1 "$T/times"))" >&2
}
fail() { echo "FAIL threads/$1"; sed 's/^/    /' | head -n 30; }

T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-threads.XXXXXX")
if [ -n "${THREADS_KEEP:-}" ]; then
    trap 'mkdir -p "$THREADS_KEEP" && cp -r "$T"/. "$THREADS_KEEP"/; rm -rf "$T"' EXIT
else
    trap 'rm -rf "$T"' EXIT
fi
if ! make --no-print-directory -s bin/agdfc lib/libagdf.a >"$T/make.log" 2>&1; then
    fail build <"$T/make.log"
    exit 0
fi
if ! command -v clang >/dev/null 2>&1 ||
   ! echo 'int main(void){return 0;}' | clang -fsanitize=thread -x c - -o "$T/probe" 2>"$T/probe.log"; then
    fail toolchain <"$T/probe.log"       # CI installs clang: not having it is a failure
    exit 0
fi

# ------------------------------------------------------------------ build
phase "start"
# The runtime twice (ASan/UBSan, TSan), then every program: agdfc first (one
# per directory), then the C compilations, JOBS at a time.
mkdir -p "$T/rt-asan" "$T/rt-tsan"
for f in runtime/*.c; do
    b=$(basename "$f" .c)
    echo "clang $STRICT $ASAN -O1 -Iruntime -c $f -o $T/rt-asan/$b.o"
    echo "clang $STRICT $TSAN -O1 -Iruntime -c $f -o $T/rt-tsan/$b.o"
done | xargs -P "$JOBS" -I{} sh -c '{} 2>>'"$T/rt.log"
if [ -s "$T/rt.log" ] || [ "$(ls "$T"/rt-asan/*.o "$T"/rt-tsan/*.o | wc -l)" -ne $(( 2 * $(ls runtime/*.c | wc -l) )) ]; then
    fail runtime-build <"$T/rt.log"
    exit 0
fi

agdfc_in() {                # agdfc_in DIR NAME: DIR/NAME.agdf -> DIR/NAME.c
    (cd "$1" && "$ROOT/bin/agdfc" --main "$2.agdf" -o "$2.c") >"$1/$2.agdfc.log" 2>&1
}
BUILDS=$T/builds            # lines "VARIANT DIR NAME"
: >"$BUILDS"
for s in $SEEDS; do
    for v in a b; do
        mkdir -p "$T/s$s/$v"
        python3 "$HERE/gen.py" $BIG $([ $v = a ] && echo --single) "$s" >"$T/s$s/$v/tg$s.agdf"
        agdfc_in "$T/s$s/$v" "tg$s" && echo "asan $T/s$s/$v tg$s" >>"$BUILDS"
    done
    python3 "$HERE/gen.py" $BIG --meta "$s" >"$T/s$s/meta"
    case " $(echo $TSAN_SEEDS) " in *" $s "*) echo "tsan $T/s$s/b tg$s" >>"$BUILDS" ;; esac
done
mkdir -p "$T/hand"
[ "$ONLY" = 1 ] || for n in fanin_q1 halt timers stop idle; do
    cp "$HERE/$n.agdf" "$T/hand/"
    agdfc_in "$T/hand" "$n" || continue
    [ $n = idle ] || printf 'asan %s %s\ntsan %s %s\n' "$T/hand" $n "$T/hand" $n >>"$BUILDS"
    echo "plain $T/hand $n" >>"$BUILDS"
done
phase "runtime built"
xargs -P "$JOBS" -L 1 bash "$HERE/run.sh" --build <"$BUILDS"
phase "programs built"

# built DIR NAME VARIANT: the program exists, else a FAIL with why
built() {
    [ -x "$1/$2.$3" ] && return 0
    cat "$1/$2.agdfc.log" "$1/$2.$3.log" 2>/dev/null | fail "$4 (build)"
    return 1
}

# ------------------------------------------------------------------ runs
# run OUT PROGRAM ARGS...: stdout OUT.out, stderr OUT.err, report OUT.rep,
# exit status OUT.rc; at most 60 s.
run() {
    local o=$1
    shift
    TG_REPORT=$o.rep timeout 60 "$@" >"$o.out" 2>"$o.err"
    echo $? >"$o.rc"
}
# problems OUT: what is wrong with one run (empty: nothing)
problems() {
    local rc
    rc=$(cat "$1.rc")
    [ "$rc" = 124 ] && echo "timeout (60 s): no end"
    if [ "$rc" = 66 ] || grep -q 'Sanitizer\|runtime error' "$1.err"; then
        echo "sanitizer report (exit status $rc):"
        grep -m 1 -A 25 'Sanitizer\|runtime error' "$1.err"
    fi
    [ -f "$1.rep" ] && grep '^FAIL' "$1.rep"
    [ -f "$1.rep" ] || echo "exit status $rc, no report: $(tail -n 3 "$1.err")"
}
# same A B WHAT: the sorted lines of two files are equal, else the difference
same() {
    diff <(sort "$1") <(sort "$2") >"$1.diff" && return 0
    echo "$3 differ (< reference, > threaded):"
    head -n 10 "$1.diff"
}

for s in $SEEDS; do
    d=$T/s$s
    read -r th mn mode virt calls <<<"$(sed 's/[a-z]*=//g' "$d/meta")"
    name="random seed $s${BIG:+ (big)} (threads = $th, $mode, $calls invocations)"
    built "$d/a" "tg$s" asan "$name" && built "$d/b" "tg$s" asan "$name" || continue
    args="--stats $([ "$virt" = 1 ] && echo --virtual-time)"
    # 1 and 2 when no node is placed on a higher thread (agdf_set_threads
    # refuses it: runtime/agdf.h)
    ns="$th"
    [ "$mn" -le 1 ] && ns="1 $ns"
    [ "$mn" -le 2 ] && [ "$th" -gt 2 ] && ns="$ns 2"
    run "$d/ref" "$d/a/tg$s.asan" $args
    msg=$(problems "$d/ref")
    for n in $ns; do
        o=$d/t$n
        run "$o" "$d/b/tg$s.asan" --threads="$n" $args
        m=$(problems "$o")
        if [ -z "$m" ] && [ "$mode" = flow ]; then
            grep -v '^cpu_ms' "$d/ref.rep" >"$d/ref.report"
            grep -v '^cpu_ms' "$o.rep" >"$o.report"
            m=$(same "$d/ref.report" "$o.report" "reports"; same "$d/ref.out" "$o.out" "printed lines";
                same "$d/ref.err" "$o.err" "stats and error lines")
        elif [ -z "$m" ] && [ "$(cat "$o.rc")" != 3 ]; then
            m="exit status $(cat "$o.rc"), want 3 (halted)"
        fi
        [ -n "$m" ] && msg+="--threads=$n:"$'\n'"$m"$'\n'
    done
    if [ -n "$msg" ]; then
        { echo "reproduce: python3 tests/threads/gen.py $BIG $s (--single: the reference);" \
               "THREADS_SEEDS=$s THREADS_BIG=${THREADS_BIG:-0} THREADS_KEEP=/tmp/tg bash tests/threads/run.sh"
          printf '%s\n' "$msg"; } | fail "$name"
    else
        pass "$name, --threads=$(echo $ns | tr ' ' ,)"
    fi
done

# hand: NAME VARIANT STATUS ARGS...: one hand-written program, its check;
# stop.agdf gets a SIGTERM after 0.5 s (a SIGKILL 30 s later: status 137)
hand() {
    local n=$1 v=$2 want=$3 o=$T/hand/$1.$2.run m
    shift 3
    built "$T/hand" "$n" "$v" "$n ($v)" || return 0
    if [ "$n" = stop ]; then
        TG_REPORT=$o.rep timeout --preserve-status -k 30 0.5 "$T/hand/$n.$v" "$@" >"$o.out" 2>"$o.err"
        echo $? >"$o.rc"
    else
        run "$o" "$T/hand/$n.$v" "$@"
    fi
    m=$(problems "$o")
    [ -z "$m" ] && [ "$(cat "$o.rc")" != "$want" ] && m="exit status $(cat "$o.rc"), want $want: $(tail -n 5 "$o.err")"
    if [ -n "$m" ]; then printf '%s\n' "$m" | fail "$n ($v${*:+ $*})"; else pass "$n ($v${*:+ $*})"; fi
}
phase "random graphs run"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
if [ "$ONLY" != 1 ]; then
    hand fanin_q1 asan 0
    hand halt asan 3
    hand timers asan 0 --log-interval=0.002
    hand stop asan 4 --stats
    hand fanin_q1 tsan 0
    hand halt tsan 3
    hand timers tsan 0 --log-interval=0.002 --stats
    hand timers tsan 0 --virtual-time --stats
    hand stop tsan 4 --stats
fi
for s in $TSAN_SEEDS; do
    d=$T/s$s
    read -r th mn mode virt calls <<<"$(sed 's/[a-z]*=//g' "$d/meta")"
    name="tsan random seed $s${BIG:+ (big)} (threads = $th, $mode)"
    built "$d/b" "tg$s" tsan "$name" || continue
    run "$d/tsan" "$d/b/tg$s.tsan" --threads="$th" --stats $([ "$virt" = 1 ] && echo --virtual-time)
    m=$(problems "$d/tsan")
    if [ -n "$m" ]; then printf '%s\n' "$m" | fail "$name"; else pass "$name"; fi
done
unset TSAN_OPTIONS
phase "hand-written and TSan programs run"
[ "$ONLY" = 1 ] && exit 0

# ------------------------------------------------------------------ idle
# Wall time at least the sleep, CPU time (the whole process) under 30 ms.
if built "$T/hand" idle plain idle-cpu; then
    o=$T/hand/idle.run
    t0=$(date +%s%N)
    run "$o" "$T/hand/idle.plain"
    wall=$(( ($(date +%s%N) - t0) / 1000000 ))
    cpu=$(sed -n 's/^cpu_ms //p' "$o.rep" 2>/dev/null)
    m=$(problems "$o")
    if [ -z "$m" ] && { [ -z "$cpu" ] || [ "$cpu" -ge 30 ] || [ "$wall" -lt 500 ]; }; then
        m="CPU $cpu ms (limit 30) over $wall ms (at least 500)"
    fi
    if [ -n "$m" ]; then printf '%s\n' "$m" | fail "idle-cpu"; else pass "idle-cpu ($cpu ms CPU over $wall ms)"; fi
fi

# ------------------------------------------------------------------ flags
# flag NAME PROGRAM STATUS REGEXP ARGS...: the generated main() alone (no
# check: TG_NOCHECK), its exit status and a line of its output matching REGEXP
flag() {
    local name=$1 prog=$2 want=$3 re=$4 o=$T/flag rc
    shift 4
    [ -x "$prog" ] || { echo "no program $prog" | fail "flag $name"; return; }
    TG_NOCHECK=1 timeout 20 "$prog" "$@" >"$o.out" 2>"$o.err"
    rc=$?
    if [ "$rc" = "$want" ] && cat "$o.out" "$o.err" | grep -Eq -- "$re"; then
        pass "flag $name"
    else
        { echo "$prog $*: exit status $rc (want $want), output (want a line matching $re):"
          cat "$o.out" "$o.err" | head -n 10; } | fail "flag $name"
    fi
}
F=$T/hand/fanin_q1.plain       # threads = 4; p1, p2, p3 on threads 1, 2, 3
for bad in 0 5 abc "" -1 2x 18446744073709551617; do
    flag "--threads=$bad refused" "$F" 2 'threads' --threads="$bad"
done
flag "--threads=3 refused: p3 is on thread 3" "$F" 2 'p3' --threads=3
flag "--threads=1 refused: p1 is on thread 1" "$F" 2 'p1' --threads=1
flag "--placement" "$F" 0 '^p3: thread 3$' --placement
flag "--placement names every node" "$F" 0 '^zsink: thread 0$' --placement
flag "--placement --threads=2 on timers (spread relay)" "$T/hand/timers.plain" 0 '^tick: thread 1$' \
    --placement --threads=2
flag "--threads=2 refused by a graph compiled for 1 thread" "$T/s1/a/tg1.asan" 2 'thread' --threads=2
flag "--threads=1 accepted by a graph compiled for 1 thread" "$T/s1/a/tg1.asan" \
    "$(cat "$T/s1/ref.rc" 2>/dev/null)" 'INFO:agdf: n0' --threads=1 --stats

phase "idle and flags"
# ------------------------------------------------------------------ bench
# bench/threads.sh in its smallest form (measures nothing): its programs
# build against lib/libagdf.a, every run's sum is right on 1 and 2 threads,
# and the 4-stage chain is placed 2 + 2 (src c1 c2 | c3 c4 sink).
o=$T/bench.txt
if TH_OUT=$T/bench TH_N=300 TH_HOP_N=3000 TH_RUNS=1 TH_BASELINE= bash bench/threads.sh >"$o" 2>&1; then
    if grep -Eq '^chain4_2threads .* 0/0/0/1/1/1$' "$o"; then
        pass "bench/threads.sh (smoke: 10 cases, chain placed 2 + 2)"
    else
        { echo "the chain is not placed 2 + 2:"; cat "$o"; } | fail "bench/threads.sh (smoke)"
    fi
else
    fail "bench/threads.sh (smoke)" <"$o"
fi
phase "bench smoke"
