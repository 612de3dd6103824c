#!/bin/sh
# bench/runtime_idle.sh — builds and runs bench/runtime_idle.c (scheduler cost per
# item alone vs beside 10,000 idle nodes) without make:
#   sh bench/runtime_idle.sh [ITEMS [QUEUE_SIZE]]
# CC and CFLAGS may be overridden (default: cc -O2).  Exit status 1 when the
# ratio exceeds 1.10 (the issue's bound).
set -eu
cd "$(dirname "$0")/.."
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2}
mkdir -p build
$CC $CFLAGS -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror -Iruntime \
    -o build/runtime_idle bench/runtime_idle.c runtime/*.c -lpthread
out=$(build/runtime_idle "$@")
printf '%s\n' "$out"
printf '%s\n' "$out" | awk '/ratio:/ { exit ($2 > 1.10) }'
