#!/usr/bin/env bash
# tests/tsan/run.sh — ThreadSanitizer over the offload pool and the threaded
# runtime: the runtime and three offload-heavy generated programs of
# tests/reliability (70,000 offloads in one batch, a halt while a call blocks
# forever, eight calls at once), the runtime reliability unit test and the
# threaded runtime's (test_rt_mt: rings, termination, halts, stops, spread
# nodes on 2-4 threads), built with clang -fsanitize=thread.  A
# check passes when the program ends with its expected status and TSan
# reports nothing.  One "PASS name" / "FAIL name" line per check, details
# indented.  Under 60 s on 2 idle cores.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-tsan.XXXXXX")
trap 'rm -rf "$T"' EXIT
TSAN="-fsanitize=thread -O1 -g"
STRICT="-std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror"
export TSAN_OPTIONS="halt_on_error=0 exitcode=66 second_deadlock_stack=1"

pass() { echo "PASS tsan/$1"; }
fail() { echo "FAIL tsan/$1"; sed 's/^/    /' | head -n 40; }

if ! command -v clang >/dev/null 2>&1 ||
   ! echo 'int main(void){return 0;}' | clang -fsanitize=thread -x c - -o "$T/probe" 2>"$T/probe.log"; then
    fail toolchain <"$T/probe.log"     # CI installs clang: not having it is a failure
    exit 0
fi
make -s bin/agdfc >"$T/make.log" 2>&1 || { fail build <"$T/make.log"; exit 0; }

# the runtime, once
mkdir -p "$T/rt"
for f in runtime/*.c; do
    clang $STRICT $TSAN -Iruntime -c "$f" -o "$T/rt/$(basename "$f" .c).o" 2>>"$T/rt.log" ||
        { fail runtime-build <"$T/rt.log"; exit 0; }
done
RT=$(ls "$T"/rt/*.o)

check() {                   # check NAME STATUS SECONDS PROGRAM ARGS...
    local name=$1 want=$2 secs=$3
    shift 3
    timeout "$secs" "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if grep -q 'ThreadSanitizer' "$T/err"; then
        fail "$name" <"$T/err"
    elif [ $rc -ne "$want" ]; then
        { echo "exit status $rc, expected $want"; cat "$T/err"; } | fail "$name"
    else
        pass "$name"
    fi
}

for n in offload_burst halt_blocked meet8; do
    if ! bin/agdfc --main -o "$T/$n.c" "tests/reliability/$n.agdf" 2>"$T/$n.log" ||
       ! clang $STRICT $TSAN -Iruntime -I"$T" -o "$T/$n" "$T/$n.c" $RT -lpthread 2>>"$T/$n.log"; then
        fail "$n-build" <"$T/$n.log"
        continue
    fi
done
[ -x "$T/offload_burst" ] && check offload-burst-70000 0 120 "$T/offload_burst"
[ -x "$T/halt_blocked" ] && check halt-while-call-blocked 3 30 "$T/halt_blocked"
[ -x "$T/meet8" ] && check offload-8-at-once 0 30 "$T/meet8"
[ -x "$T/meet8" ] && check offload-threads-flag 0 60 "$T/meet8" --offload-threads=8

for u in reliab mt; do         # the threaded runtime's tests too (agdf_mt.c)
    if clang $STRICT $TSAN -Iruntime -Itests/unit -o "$T/$u" "tests/unit/test_rt_$u.c" $RT \
            -lcmocka -lpthread 2>"$T/$u.log"; then
        check "unit-test_rt_$u" 0 120 "$T/$u"
    else
        fail "unit-test_rt_$u-build" <"$T/$u.log"
    fi
done
