#!/usr/bin/env bash
# tests/gdb/run.sh — source-level debugging of generated code: compiles an
# example with its output in a subdirectory (agdfc -o sub/branching.c, then
# cc -g -O0 from the parent directory, as a Makefile with a build/ directory
# does) and checks, with gdb in batch mode, that a breakpoint on a .agdf line
# is hit in the body the runtime's drain loop (agdf__drain) calls, that
# `next` steps that loop line by line, and that a frame in generated code
# names the generated file as it was written, so gdb finds it and `list`
# prints its lines.  gdb is required
# (.ci/run installs it): a missing gdb is a FAIL.  Takes about 1 s.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {                    # fail NAME DETAIL-FILE...
    local name=$1
    shift
    echo "FAIL gdb/$name"
    for f in "$@"; do sed 's/^/    /' "$f" | head -20; done
}

if ! command -v gdb >/dev/null 2>&1; then
    echo "FAIL gdb/installed"
    echo "    gdb not found (bash .ci/run installs it)"
    exit 0
fi
echo "PASS gdb/installed"

cp examples/branching/branching.agdf "$tmp/"
mkdir "$tmp/sub"
cd "$tmp"
if "$root/bin/agdfc" --main branching.agdf -o sub/branching.c 2>err \
   && cc -std=c99 -g -O0 -I"$root/runtime" sub/branching.c "$root/lib/libagdf.a" \
        -lpthread -o prog 2>>err; then
    echo "PASS gdb/build"
else
    fail build err
    exit 0
fi

# Every #line back into the generated file names it as -o gave it.
back=$(grep -c '^#line [0-9]* "sub/branching\.c"$' sub/branching.c)
bare=$(grep -c '^#line [0-9]* "branching\.c"$' sub/branching.c)
if [ "$back" -gt 0 ] && [ "$bare" -eq 0 ]; then echo "PASS gdb/line-names-output"
else
    echo "FAIL gdb/line-names-output"
    echo "    $back #line to sub/branching.c, $bare to branching.c"
fi

# The header too (a %header{ %} block puts user text there).
if "$root/bin/agdfc" "$root/tests/emit/fan.agdf" -o sub/fan.c 2>err \
   && grep -q '^#line [0-9]* "sub/fan\.h"$' sub/fan.h \
   && ! grep -q '^#line [0-9]* "fan\.h"$' sub/fan.h; then
    echo "PASS gdb/line-names-header"
else
    fail line-names-header err
    grep '^#line' sub/fan.h 2>/dev/null | sed 's/^/    /'
fi

line=$(grep -n 'printf("func2 got' branching.agdf | cut -d: -f1)
gdb -batch -nx -iex 'set debuginfod enabled off' \
    -ex "break branching.agdf:$line" -ex run -ex bt -ex 'frame 1' \
    -ex 'info source' -ex list ./prog >out 2>&1 </dev/null

if grep -q "^Breakpoint 1, branching__func2_body .* at .*branching\.agdf:$line\$" out \
   && grep -q "^$line[[:space:]]*printf(\"func2 got" out; then
    echo "PASS gdb/breakpoint-on-agdf-line"
else
    fail breakpoint-on-agdf-line out
fi

# Frame 0 is the body, a function of its own (agdfc's NAME_body), frame 1
# the runtime's one drain loop, which calls every body.
if grep -q "^#0 .*branching__func2_body " out && grep -q "^#1 .* in agdf__drain " out; then
    echo "PASS gdb/body-called-by-drain-loop"
else
    fail body-called-by-drain-loop out
fi

# The body's first lines (before its #line into the .agdf) are generated C.
gdb -batch -nx -iex 'set debuginfod enabled off' \
    -ex "break branching__func2_body" -ex run -ex 'info source' -ex 'list' \
    ./prog >out 2>&1 </dev/null
gline=$(sed -n 's/^Breakpoint 1, branching__func2_body .* at sub\/branching\.c:\([0-9]*\)$/\1/p' out | head -1)
if [ -n "$gline" ] && grep -q "^Located in $tmp/sub/branching\.c\$" out; then
    echo "PASS gdb/frame-names-generated-file"
else
    fail frame-names-generated-file out
fi
want=$(sed -n "${gline:-0}p" sub/branching.c 2>/dev/null)
if [ -n "$gline" ] && [ -n "$want" ] && grep -qxF "$gline	$want" out; then
    echo "PASS gdb/list-shows-generated-line"
else
    echo "FAIL gdb/list-shows-generated-line"
    echo "    line ${gline:-?} of sub/branching.c: $want"
    sed 's/^/    /' out | tail -12
fi

# The drain loop is a function of the runtime (built with -g): a breakpoint
# on it stops there, and `next` steps it line by line without leaving it.
gdb -batch -nx -iex 'set debuginfod enabled off' \
    -ex 'break agdf__drain' -ex run -ex next -ex next -ex next -ex next -ex bt \
    ./prog >out 2>&1 </dev/null
lines=$(grep -cE '^[0-9]+[[:space:]]' out)
distinct=$(grep -oE '^[0-9]+' out | sort -u | wc -l)
if grep -q "^Breakpoint 1, agdf__drain .* at runtime/agdf\.c:[0-9]*\$" out \
   && [ "$lines" -ge 4 ] && [ "$distinct" -ge 3 ] && grep -q "^#0 *agdf__drain " out; then
    echo "PASS gdb/next-steps-drain-loop"
else
    fail next-steps-drain-loop out
fi
