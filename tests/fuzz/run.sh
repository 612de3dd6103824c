#!/usr/bin/env bash
# tests/fuzz/run.sh — fuzzes agdfc's front end and emitters with libFuzzer
# (tests/fuzz/fuzz_agdfc.c).  Builds the harness (make build/fuzz/fuzz_agdfc:
# the compiler's sources compiled by clang with ASan/UBSan and libFuzzer),
# replays every committed regression input of tests/fuzz/regress/ (each must
# compile without a crash, a sanitizer report, a hang or a non-deterministic
# output), then fuzzes for FUZZ_SECONDS from a seed corpus made at run time of
# every .agdf file under tests/ and examples/.  One "PASS name" / "FAIL name"
# line per check, details indented (tests/run.sh counts them).
#
# Environment: FUZZ_SECONDS (default 20: make test's share), FUZZ_SEED (the
# fuzzer's random seed, default: libFuzzer picks one and prints it),
# FUZZ_MAX_LEN (largest input in bytes, default 4096),
# FUZZ_CAMPAIGN=1 (what `make fuzz` sets: keep the corpus in build/fuzz/corpus
# from one campaign to the next, and go on after a finding, in fork mode).
# Findings (crash-*, timeout-*, oom-*, leak-*) are written to build/fuzz/findings/;
# how to turn one into a regression input is printed with it and in
# docs/testing.md.  tests/fuzz/known/ holds findings not fixed yet: not run here.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
FUZZER=build/fuzz/fuzz_agdfc
FINDINGS=build/fuzz/findings
SECONDS_=${FUZZ_SECONDS:-20}
CAMPAIGN=${FUZZ_CAMPAIGN:-0}

fail() {                    # $1: test name; stdin: details
    echo "FAIL $1"
    sed 's/^/    /' | head -n 60
}

# The useful part of a sanitizer or libFuzzer report: the error line and the
# frames in agdf's own code.
report_of() {
    grep -E 'ERROR:|SUMMARY:|runtime error:|not deterministic|deadly signal|timeout|out-of-memory|^ +#[0-9]+ ' "$1" |
        grep -vE 'in (fuzzer::|__asan|__ubsan|__sanitizer|LLVMFuzzer|main |__libc|_start)' | head -n 30
}

if ! command -v clang >/dev/null 2>&1; then
    echo "clang not found: the fuzz harness needs clang with libFuzzer (apt-get install clang libclang-rt-14-dev)" |
        fail "fuzz/build"
    exit 0
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-fuzz.XXXXXX")
trap 'rm -rf "$T"' EXIT

# 1. The harness.
if make --no-print-directory -s "$FUZZER" >"$T/build.log" 2>&1; then
    echo "PASS fuzz/build"
else
    fail "fuzz/build (make $FUZZER)" <"$T/build.log"
    exit 0
fi

# 2. Every regression input, one process each, so one failure names its input.
for f in "$HERE"/regress/*; do
    [ -f "$f" ] || continue
    name="fuzz/regress/$(basename "$f")"
    if timeout 60 "$FUZZER" -timeout=5 -rss_limit_mb=2048 "$f" >"$T/one.log" 2>&1; then
        echo "PASS $name"
    else
        { echo "reproduce: make $FUZZER && $FUZZER $f"; report_of "$T/one.log"; } | fail "$name"
    fi
done

# 3. A bounded campaign from the seeds (and the regression inputs).
mkdir -p "$T/seeds" "$FINDINGS"
find tests examples -name '*.agdf' -type f | sort | while read -r f; do
    cp "$f" "$T/seeds/$(printf '%s' "$f" | tr '/' '_')"
done
if [ "$CAMPAIGN" = 1 ]; then
    CORPUS=build/fuzz/corpus
    MODE=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
else
    CORPUS="$T/corpus"
    MODE=()
fi
mkdir -p "$CORPUS"
touch "$T/stamp"
OPTS=(-max_total_time="$SECONDS_" -max_len="${FUZZ_MAX_LEN:-4096}" -timeout=5 -rss_limit_mb=2048
      -dict="$HERE/agdf.dict" -artifact_prefix="$FINDINGS/" -print_final_stats=1)
[ -n "${FUZZ_SEED:-}" ] && OPTS+=(-seed="$FUZZ_SEED")
[ "$CAMPAIGN" = 1 ] && echo "fuzzing for $SECONDS_ s; corpus $CORPUS, findings $FINDINGS/" >&2
timeout $((SECONDS_ + 120)) "$FUZZER" "${OPTS[@]}" "${MODE[@]}" "$CORPUS" "$T/seeds" "$HERE/regress" >"$T/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T/fuzz.log" | tail -n 1)
seed=$(sed -n 's/.*Seed: \([0-9]*\).*/\1/p' "$T/fuzz.log" | head -n 1)
new=$(find "$FINDINGS" -type f -newer "$T/stamp" | sort)
if [ $rc -eq 0 ] && [ -z "$new" ]; then
    echo "PASS fuzz/campaign ($SECONDS_ s, ${runs:-?} inputs)"
else
    {
        echo "libFuzzer exit status $rc, seed ${seed:-?}; findings:"
        for f in $new; do
            echo "  $f"
            echo "    reproduce: $FUZZER $f"
            timeout 60 "$FUZZER" -timeout=5 "$f" >"$T/one.log" 2>&1
            report_of "$T/one.log" | sed 's/^/    /'
        done
        [ -z "$new" ] && tail -n 30 "$T/fuzz.log"
        echo "Once fixed, keep each as a regression input run by make test:"
        echo "  cp FINDING tests/fuzz/regress/SHORT_NAME && git add tests/fuzz/regress/SHORT_NAME"
        echo "(an input not fixed yet goes to tests/fuzz/known/, which make test does not run)"
    } | fail "fuzz/campaign (${SECONDS_} s)"
fi
