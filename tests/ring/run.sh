#!/usr/bin/env bash
# tests/ring/run.sh — the cross-thread ring (runtime/agdf_ring.h) under
# ThreadSanitizer: tests/ring/stress.c, built with clang -fsanitize=thread,
# moves items between a producer and a consumer thread in random batches and
# checks every item's sequence number and checksum; both sides must have slept
# at least once (the sleep/wake protocol is exercised, not only the spin).  A
# check passes only if the program's checks hold and TSan printed nothing.  A
# negative control first proves TSan is active (a deliberate race must be
# reported).  Items per run: 10^6 at capacities 16 and 1024, 2*10^5 at 7 (not
# a power of two); 5*10^4 at capacity 1 and 10^5 at 2, where every item is a
# hand-off that may cost a futex sleep (about 40 us each on a loaded 2-core
# machine).  Budget: 30 s; a run still going after 60 s fails (a lost wake-up
# would hang it).  RING_SCALE=10 multiplies every count and the time limit.
# Skipped (one PASS line saying so) when clang is missing.
set -u
cd "$(dirname "$0")/../.."
T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-ring.XXXXXX")
trap 'rm -rf "$T"' EXIT
S=${RING_SCALE:-1}

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; sed 's/^/    /' | head -n 30; }

if ! command -v clang >/dev/null 2>&1; then
    echo "PASS ring/skipped-no-clang"
    exit 0
fi
if ! clang -std=c99 -Wall -Wextra -Wpedantic -Werror -O1 -g -fsanitize=thread -Iruntime \
        -o "$T/stress" tests/ring/stress.c runtime/agdf_ring.c -lpthread 2>"$T/build.log"; then
    fail ring/build <"$T/build.log"
    exit 0
fi
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"

if "$T/stress" race >"$T/race.log" 2>&1 || ! grep -q 'ThreadSanitizer: data race' "$T/race.log"; then
    fail ring/tsan-detects-a-race <"$T/race.log"
else
    pass ring/tsan-detects-a-race
fi

run() {   # CAP MAXBATCH N
    local name="ring/tsan-cap$1-batch$2"
    local rc=0
    timeout $((60 * S)) "$T/stress" "$1" "$2" "$3" >"$T/out.log" 2>"$T/err.log" || rc=$?
    if [ $rc = 0 ] && ! [ -s "$T/err.log" ]; then
        pass "$name"
    else
        { [ $rc = 124 ] && echo "timed out after $((60 * S)) s (a lost wake-up?)"
          cat "$T/out.log" "$T/err.log"; } | fail "$name"
    fi
}
run 1 1 $((50000 * S))
run 2 2 $((100000 * S))
run 7 5 $((200000 * S))
run 16 64 $((1000000 * S))
run 1024 64 $((1000000 * S))
run 1024 1 $((1000000 * S))
