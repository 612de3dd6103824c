#!/usr/bin/env bash
# tests/placement/run.sh — docs/threads.md's worked example, end to end: its
# graph (the ```c block after "### A worked example"), taken from the page as
# written, is compiled with `agdfc --main`, linked with C implementations of
# its five nodes (written here: read yields three lines, the others pass
# them on) and lib/libagdf.a, and its `--placement` on 2 and 3 threads must be
# the placement the page explains, then the same with hash made a spread node
# of 2 tasks on 2 threads; the program also runs on 2 threads with every item
# arriving (write's in=6, from hash and from compress).  The placement itself
# is tests/unit/test_rt_place.c's.  Budget: a few seconds.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - docs/threads.md "$tmp/store.agdf" <<'PY' || { echo "FAIL placement_doc_block"; echo "    no graph block after '### A worked example'"; exit 0; }
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r'^### A worked example\n+```c\n(.*?)^```', text, re.S | re.M)
if not m:
    sys.exit(1)
open(sys.argv[2], 'w').write(m.group(1))
PY
echo "PASS placement_doc_block"
mkdir -p "$tmp/spread"
sed 's/\[weight = 4\]/[weight = 4, max_tasks = 2, spread = true]/' "$tmp/store.agdf" > "$tmp/spread/store.agdf"
cat > "$tmp/nodes.c" <<'C'
/* The five nodes of docs/threads.md's worked example: read yields three
** lines, parse, hash and compress pass them on, write takes them. */
#include <string.h>
#include "store.h"

#define AGDF_OUT_MAKE store_read_OUT
int store_read(store_read_task *self)
{
    AGDF_BEGIN(self);
    AGDF_YIELD((line){"a"});
    AGDF_YIELD((line){"b"});
    AGDF_YIELD((line){"c"});
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE
#define AGDF_OUT_MAKE store_parse_OUT
int store_parse(store_parse_task *self, line l)
{
    AGDF_BEGIN(self);
    {
        blob b;
        b.n = (unsigned)strlen(l.s);
        memcpy(b.b, l.s, b.n);
        AGDF_YIELD(b);
    }
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE
#define AGDF_OUT_MAKE store_hash_OUT
int store_hash(store_hash_task *self, blob b)
{
    AGDF_BEGIN(self);
    AGDF_YIELD(b);
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE
#define AGDF_OUT_MAKE store_compress_OUT
int store_compress(store_compress_task *self, blob b)
{
    AGDF_BEGIN(self);
    AGDF_YIELD(b);
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE
int store_write(store_write_task *self, blob b)
{
    (void)b;
    AGDF_BEGIN(self);
    AGDF_END(self);
}
C
build() {   # DIR: store.agdf -> DIR/store
    "$root/bin/agdfc" --main "$1/store.agdf" -o "$1/store.c" 2>"$1/build.log" &&
        cc -std=c99 -Wall -Wextra -Werror -I"$root/runtime" -I"$1" "$1/store.c" "$tmp/nodes.c" \
           "$root/lib/libagdf.a" -lpthread -o "$1/store" 2>>"$1/build.log"
}
check() {   # NAME EXPECTED COMMAND...
    local name=$1 want=$2 got
    shift 2
    got=$("$@" 2>&1)
    if [ "$got" = "$want" ]; then
        echo "PASS placement_$name"
    else
        echo "FAIL placement_$name"
        diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -n 15 | sed 's/^/    /'
    fi
}
for d in "$tmp" "$tmp/spread"; do
    if ! build "$d"; then
        echo "FAIL placement_build_${d##*/}"
        head -n 15 "$d/build.log" | sed 's/^/    /'
        exit 0
    fi
done
check two_threads "read: thread 0
parse: thread 0
hash: thread 0
compress: thread 1
write: thread 1" "$tmp/store" --threads=2 --placement
check three_threads "read: thread 0
parse: thread 0
hash: thread 1
compress: thread 2
write: thread 2" "$tmp/store" --threads=3 --placement
check spread_two_threads "read: thread 0
parse: thread 0
hash: threads 0-1 (spread, task 0 on 0, task 1 on 1)
compress: thread 1
write: thread 1" "$tmp/spread/store" --threads=2 --placement
check run_two_threads "INFO:agdf: write - in=6, out=0, err=0" \
    sh -c "'$tmp/store' --threads=2 --stats 2>&1 | grep 'write -'"
