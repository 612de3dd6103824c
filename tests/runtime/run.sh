#!/usr/bin/env bash
# tests/runtime/run.sh — runtime checks that are not cmocka tests: lib/libagdf.a
# calls no allocator (nm), the scheduler core uses no stdio, the runtime builds
# clean under gcc and clang -std=c99 -Wall -Wextra -Wpedantic -Werror (also -Os
# and -DAGDF_NO_OFFLOAD), and two runtime test programs, built without
# sanitizers, run clean under valgrind (memcheck, errors and leaks) when it is
# installed.  One "PASS name" / "FAIL name" line per check, details indented.
set -u
cd "$(dirname "$0")/../.."
T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-rt.XXXXXX")
trap 'rm -rf "$T"' EXIT
STRICT="-std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror"

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; sed 's/^/    /' | head -n 30; }

# -- the library: no allocator anywhere
if [ -f lib/libagdf.a ] || make -s lib/libagdf.a >"$T/make.log" 2>&1; then
    bad=$(nm lib/libagdf.a | grep -E ' U (malloc|calloc|realloc|free|aligned_alloc|posix_memalign|strdup)$' || true)
    if [ -z "$bad" ]; then pass runtime/nm-no-malloc; else printf '%s\n' "$bad" | fail runtime/nm-no-malloc; fi
else
    fail runtime/nm-no-malloc <"$T/make.log"
fi

# -- the scheduler core: no stdio (text goes through agdf_log.c)
if cc $STRICT -O2 -Iruntime -c runtime/agdf.c -o "$T/core.o" 2>"$T/core.log"; then
    bad=$(nm "$T/core.o" | grep -E ' U (f?printf|s?n?printf|v[a-z]*printf|fputs|fputc|puts|putchar|fwrite|stderr|stdout)$' || true)
    if [ -z "$bad" ]; then pass runtime/core-no-stdio; else printf '%s\n' "$bad" | fail runtime/core-no-stdio; fi
else
    fail runtime/core-no-stdio <"$T/core.log"
fi

# -- strict builds
for c in gcc clang; do
    command -v $c >/dev/null 2>&1 || continue
    for flags in "-O2" "-Os" "-O2 -DAGDF_NO_OFFLOAD" "-O0 -g"; do
        name="runtime/strict-$c$(printf '%s' "$flags" | tr -d ' =' | tr 'A-Z' 'a-z')"
        ok=1
        for f in runtime/*.c; do
            $c $STRICT $flags -Iruntime -c "$f" -o "$T/x.o" 2>>"$T/$c.log" || ok=0
        done
        if [ $ok = 1 ]; then pass "$name"; else fail "$name" <"$T/$c.log"; fi
        rm -f "$T/$c.log"
    done
done

# -- valgrind on plain (non-ASan) builds of two runtime test programs
if command -v valgrind >/dev/null 2>&1; then
    for t in sched errors; do
        name="runtime/valgrind-test_rt_$t"
        if ! cc $STRICT -O1 -g -Iruntime -Itests/unit -o "$T/t_$t" tests/unit/test_rt_$t.c runtime/*.c \
                -lcmocka -lpthread 2>"$T/b.log"; then
            fail "$name" <"$T/b.log"
            continue
        fi
        if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
                "$T/t_$t" >"$T/v.log" 2>&1; then
            pass "$name"
        else
            fail "$name" <"$T/v.log"
        fi
    done
else
    echo "  (valgrind not installed: skipped)"
fi
