#!/usr/bin/env bash
# tests/run.sh — runs every test suite and prints one overall summary.
#
# Unit tests are the cmocka binaries in build/tests/ (built by `make unit`);
# their "[  PASSED  ] N test(s)" / "[  FAILED  ] N test(s)" lines are counted.
# Every other suite is a script tests/<suite>/run.sh that prints one line per
# check, "PASS name" or "FAIL name" (details may follow a FAIL, indented); its
# exit status is ignored, its lines are counted; the suites run side by side
# (TEST_JOBS=1 runs them one at a time).  The last line printed is
# "N passed, N failed"; the exit status is 1 when anything failed.
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0

count_cmocka() {            # $1: output of one cmocka binary
    local p f
    p=$(printf '%s\n' "$1" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$1" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
}

echo "== unit tests (cmocka, ASan/UBSan)"
for t in build/tests/test_*; do
    [ -x "$t" ] || continue
    out=$("$t" 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -E '^\[  (PASSED|FAILED)  \]|^\[  (FAILED|ERROR)  \]' | sed "s|^|  $(basename "$t"): |"
    count_cmocka "$out"
    if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^\[  FAILED  \]'; then
        echo "FAIL $(basename "$t") (exit $rc, no cmocka summary)"
        printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
        failed=$((failed + 1))
    fi
done

# The suites run TEST_JOBS at a time (default: the number of cores), the
# longest first; each one's output goes to a file and is printed, in the
# usual order, once all have finished, so the report reads the same however
# they were interleaved.
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
slow="random threads fuzz install lifecycle model docs tsan trace reliability examples conformance"
order=""
for n in $slow; do
    [ -f "tests/$n/run.sh" ] && order="$order tests/$n/run.sh"
done
for s in tests/*/run.sh; do
    case " $order " in *" $s "*) ;; *) order="$order $s" ;; esac
done
running=0
for s in $order; do
    bash "$s" >"$tmp/$(basename "$(dirname "$s")").out" 2>&1 &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

for s in tests/*/run.sh; do
    [ -f "$s" ] || continue
    echo "== $(dirname "$s")"
    out=$(cat "$tmp/$(basename "$(dirname "$s")").out")
    printf '%s\n' "$out" | grep -v '^PASS '
    p=$(printf '%s\n' "$out" | grep -c '^PASS ')
    f=$(printf '%s\n' "$out" | grep -c '^FAIL ')
    echo "  $p passed, $f failed"
    passed=$((passed + p))
    failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
