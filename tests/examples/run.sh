#!/usr/bin/env bash
# tests/examples/run.sh — checks every example in examples/: for each directory
# with a Makefile, a clean `make check EXTRA_CFLAGS=-Werror` (build with the
# repository's bin/agdfc and lib/libagdf.a, run, compare with the expected
# output files there, plus the example's own timing or output-file checks), then
# the same under ASan/UBSan (`make check SAN=1 TIMING=0`, linked with a sanitizer
# build of runtime/*.c made once here), then under valgrind (`WRAP=valgrind...`).  Then one test that a C error inside a
# node body is reported by the C compiler at the .agdf line (the #line
# directives).  Prints one "PASS name" / "FAIL name" line per check, details
# indented under a FAIL.  Needs bin/agdfc and lib/libagdf.a (`make`).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
AGDFC="$ROOT/bin/agdfc"
LIB="$ROOT/lib/libagdf.a"
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-examples.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() {                    # $1: test name; stdin: details
    echo "FAIL $1"
    sed 's/^/    /' | tail -n 40
}

if [ ! -x "$AGDFC" ] || [ ! -f "$LIB" ]; then
    echo "bin/agdfc or lib/libagdf.a missing (run make)" | fail "examples/build"
    exit 1
fi

# The sanitizer build of the runtime, compiled once for every example.
san_lib=""
mkdir -p "$T/san"
if (cd "$T/san" && for f in "$ROOT"/runtime/*.c; do
        cc -std=c99 -D_POSIX_C_SOURCE=200809L -O1 -g $SAN -I"$ROOT/runtime" -c "$f" || exit 1
    done && ar rcs libagdf-san.a ./*.o) >"$T/san.log" 2>&1; then
    san_lib="$T/san/libagdf-san.a"
else
    fail "examples/runtime-asan-build" <"$T/san.log"
fi

valgrind=""
if command -v valgrind >/dev/null 2>&1; then
    valgrind="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
else
    echo "PASS examples valgrind (skipped: not installed)"
fi

# check_example DIR: all the checks of one example, their PASS/FAIL lines on stdout.
check_example() {
    local dir=$1 name
    name=$(basename "$dir")
    make -s -C "$dir" clean >/dev/null 2>&1
    if make -s --no-print-directory -C "$dir" check EXTRA_CFLAGS=-Werror >"$T/$name.log" 2>&1; then
        echo "PASS example $name"
    else
        fail "example $name" <"$T/$name.log"
    fi
    if [ -n "$san_lib" ]; then
        if make -s --no-print-directory -C "$dir" check SAN=1 TIMING=0 EXTRA_CFLAGS=-Werror RT="$san_lib" >"$T/$name.san.log" 2>&1; then
            echo "PASS example $name asan+ubsan"
        else
            fail "example $name asan+ubsan" <"$T/$name.san.log"
        fi
    fi
    if [ -n "$valgrind" ]; then
        if make -s --no-print-directory -C "$dir" check TIMING=0 WRAP="$valgrind" >"$T/$name.vg.log" 2>&1; then
            echo "PASS example $name valgrind"
        else
            fail "example $name valgrind" <"$T/$name.vg.log"
        fi
    fi
}

# The examples are independent (each builds in its own directory): check them
# in parallel, as many at a time as there are processors, and print the results
# in order.
jobs_max=$(nproc 2>/dev/null || echo 2)
running=0
for mk in "$ROOT"/examples/*/Makefile; do
    dir=$(dirname "$mk")
    [ -f "$dir/expected.status" ] || continue   # make-project: tests/install
    if [ "$running" -ge "$jobs_max" ]; then
        wait -n
        running=$((running - 1))
    fi
    check_example "$dir" >"$T/$(basename "$dir").result" 2>&1 &
    running=$((running + 1))
done
wait
for mk in "$ROOT"/examples/*/Makefile; do
    [ -f "$(dirname "$mk")/expected.status" ] || continue
    cat "$T/$(basename "$(dirname "$mk")").result"
done

# expect_cc_error NAME TITLE REGEX: $T/NAME.agdf compiles with agdfc, and the C
# compile of its output (gcc and clang, no -Werror) must fail with a line
# matching REGEX (a diagnostic at the .agdf line).
expect_cc_error() {
    local name=$1 title=$2 regex=$3 cc
    if ! (cd "$T" && "$AGDFC" --main "$name.agdf" -o "$name.c") >"$T/$name.log" 2>&1; then
        fail "$title (agdfc failed)" <"$T/$name.log"
        return
    fi
    for cc in gcc clang; do
        command -v $cc >/dev/null 2>&1 || continue
        if (cd "$T" && $cc -std=c99 -I"$ROOT/runtime" -c "$name.c" -o "$name.o") >"$T/$name.$cc.log" 2>&1; then
            echo "the C compiler accepted it" | fail "$title ($cc)"
        elif grep -q "$regex" "$T/$name.$cc.log"; then
            echo "PASS $title ($cc)"
        else
            fail "$title ($cc): no line matching '$regex'" <"$T/$name.$cc.log"
        fi
    done
}

# expect_output NAME TITLE WANT: $T/NAME.agdf builds strictly (-Werror) with
# --main and its standard output is WANT.
expect_output() {
    local name=$1 title=$2 want=$3
    if (cd "$T" && "$AGDFC" --main "$name.agdf" -o "$name.c" &&
        cc -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$ROOT/runtime" "$name.c" \
           "$ROOT/lib/libagdf.a" -lpthread -o "$name" &&
        [ "$(./"$name")" = "$want" ]) >"$T/$name.log" 2>&1; then
        echo "PASS $title"
    else
        fail "$title" <"$T/$name.log"
    fi
}

# A C error inside a node body must be reported at the .agdf line, by gcc and clang.
cat >"$T/broken.agdf" <<'EOF'
// A graph whose node body has a C error on line 9.
%{
#include <stdio.h>
%}
node source() -> int {
    AGDF_YIELD(1);
}
node sink(int v) {
    printf("%d\n", v + no_such_variable);
}
source -> sink;
EOF
expect_cc_error broken "body error at .agdf line" '^broken\.agdf:9:.*no_such_variable'

# A bare `return;` in a body (an int function) would hand the drain loop an
# undefined value.  agdfc refuses one written in the body (tests/diagnostics/
# return_bare); one hidden in a macro must still be a compile error at the
# .agdf line (gcc: the macro's, clang: its use), even without -Werror.
cat >"$T/bare_return.agdf" <<'EOF'
%{
#define GIVE_UP return
%}
node source() -> int {
    AGDF_YIELD(1);
}
node sink(int v) {
    if (v == 1) GIVE_UP;    /* line 8 */
}
source -> sink;
EOF
expect_cc_error bare_return "bare return in a macro is an error at the .agdf line" '^bare_return\.agdf:[28]:.*error'

# User names that equal names the generated code uses for itself (a parameter
# `g` or `item`, a global `g` read by a start argument) must still build and run.
cat >"$T/names.agdf" <<'EOF'
graph names;
%{
#include <stdio.h>
static int g = 40;
%}
node f(int item, int g) -> int { AGDF_YIELD(item + g); }
node h(int v) { printf("%d\n", v); }
f -> h;
start f(2, g);
EOF
expect_output names "user names g and item beside generated code" 42

# POSIX calls in a body compile under strict -std=c99 without -D flags: the
# generated .c asks for POSIX before its first system header.
cat >"$T/posix.agdf" <<'EOF'
graph posix;
%{
#include <stdio.h>
#include <time.h>
#include <unistd.h>
%}
node nap() { struct timespec ts = {0, 1000000L}; nanosleep(&ts, NULL); printf("%d\n", (int)(getpid() > 0)); }
EOF
expect_output posix "POSIX in bodies under -std=c99" 1
