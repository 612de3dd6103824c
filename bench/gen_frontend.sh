#!/usr/bin/env bash
# bench/gen_frontend.sh — writes large .agdf programs for the front-end
# benchmark (bench/frontend.sh) to standard output:
#
#   gen_frontend.sh dag N      N nodes and 2N-3 edges, one edge statement each:
#                              n0 -> n1, and n(i) -> n(i+1), n(i) -> n(i+2); every
#                              node but n0 takes (int x), has attributes, a state
#                              block and a small body, so every phase has work
#   gen_frontend.sh chain N    N nodes declared, then ONE statement
#                              n0 -> n1 -> ... -> n(N-1); (parser stack depth)
#   gen_frontend.sh types N    N nodes in a chain (one edge statement each), every
#                              node with its own item type t(i) (a typedef of int
#                              in a verbatim block, small queues): the C back end has N distinct
#                              item structs to number (--emit=c scales linearly)
set -euo pipefail
kind=${1:?usage: gen_frontend.sh dag|chain|types N}
n=${2:?usage: gen_frontend.sh dag|chain|types N}
if [ "$kind" = types ]; then
    awk -v n="$n" 'BEGIN {
        printf "graph big [max_exceptions = 1];\n%%{\n"
        for (i = 0; i < n; i++) printf "typedef int t%d;\n", i
        printf "%%}\nnode n0() -> t0 { AGDF_YIELD(1); }\n"
        for (i = 1; i < n; i++)
            printf "node n%d(t%d x) -> t%d [queue_size = 4] { AGDF_YIELD(x + 1); }\n", i, i - 1, i
        for (i = 0; i + 1 < n; i++) printf "n%d -> n%d;\n", i, i + 1
    }'
    exit 0
fi
awk -v kind="$kind" -v n="$n" 'BEGIN {
    printf "graph big [max_exceptions = 100];\n%%{\n#include <stdio.h>\n%%}\n"
    printf "node n0() -> int [queue_size = 16] state { int i; } {\n"
    printf "    for (self->i = 0; self->i < 3; self->i++) AGDF_YIELD(self->i);\n}\n"
    for (i = 1; i < n; i++)
        printf "node n%d(int x) -> int [max_tasks = %d, queue_size = 64] { AGDF_YIELD(x + %d); }\n", i, 1 + i % 3, i
    if (kind == "chain") {
        printf "n0"
        for (i = 1; i < n; i++) printf " -> n%d", i
        printf ";\n"
    } else {
        for (i = 0; i + 1 < n; i++) {
            printf "n%d -> n%d;\n", i, i + 1
            if (i > 0 && i + 2 < n) printf "n%d -> n%d;\n", i, i + 2
        }
    }
}'
