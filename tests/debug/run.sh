#!/usr/bin/env bash
# tests/debug/run.sh — what docs/runtime.md ("Reading a task in gdb") promises:
# in a generated program built with -g, a breakpoint at a .agdf line stops in
# that node's body; there the parked source task's resume point divided by 100
# is the .agdf line of the yield it waits in, its wait state prints by name
# through enum agdf__wait, and the node tables print field by field.  Skipped
# (PASS with a note) without gdb.  Budget: 3 s.
set -u
cd "$(dirname "$0")/../.."
T=$(mktemp -d "${TMPDIR:-/tmp}/agdf-debug.XXXXXX")
trap 'rm -rf "$T"' EXIT
CC=${CC:-cc}

fail() { echo "FAIL $1"; sed 's/^/    /' | head -n 30; }

if ! command -v gdb > /dev/null 2>&1; then
    echo "PASS debug/skipped (no gdb)"
    exit 0
fi
cp tests/debug/park.agdf "$T/"
if ! (cd "$T" && "$OLDPWD/bin/agdfc" park.agdf --main -o park.c &&
      $CC -std=c99 -g -O0 -Wall -Wextra -Wpedantic -Werror -I"$OLDPWD/runtime" -I. park.c \
          "$OLDPWD/lib/libagdf.a" -lpthread -o park) > "$T/log" 2>&1; then
    fail debug/build < "$T/log"
    exit 0
fi
(cd "$T" && gdb -batch -nx \
    -ex 'break park.agdf:13' -ex run \
    -ex 'p agdf_main_graph.n.src.tasks[0].agdf.lc / 100' \
    -ex 'p (enum agdf__wait)agdf_main_graph.n.sink.tasks[0].agdf.wait' \
    -ex 'p agdf_main_graph.agdf_nodes[1].def->queue_size' \
    -ex 'p park__nodes[park_NODE_sink].name' \
    ./park) > "$T/gdb" 2>&1

check() {   # NAME PATTERN: a line of gdb's output matches
    if grep -Eq "$2" "$T/gdb"; then echo "PASS debug/$1"; else fail "debug/$1" < "$T/gdb"; fi
}
check breakpoint-at-agdf-line '^Breakpoint 1, park__sink_body .* at .*park\.agdf:13$'
check resume-point-line '^\$1 = 10$'
check wait-state-name '^\$2 = AGDF__W_[A-Z]+$'
check node-table '^\$3 = 1$'
check node-name '^\$4 = 0x[0-9a-f]+ "sink"$'
