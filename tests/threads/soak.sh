#!/usr/bin/env bash
# tests/threads/soak.sh — the long run of tests/threads/ (not part of make
# test; `make soak` runs it after the random graphs' soak): larger random
# threaded graphs (gen.py --big: 6-16 nodes on 2-8 threads, up to 200,000
# invocations) in batches of SOAK_BATCH seeds, each graph built with
# ASan/UBSan (compared with its single-threaded build at every thread count
# its placement allows) and with ThreadSanitizer, until SOAK_SECONDS have
# passed.  It stops at the first failure and prints the seed and the command
# that reproduces it; exit status 1 then, else 0.  The last line says how
# many graphs ran.
#
#   SOAK_SECONDS [600]  how long (a batch that started finishes)
#   SOAK_SEED [1000]    first seed (the next run may go on from where one ended)
#   SOAK_BATCH [8]      seeds per batch (one runtime build per batch)
set -u
cd "$(dirname "$0")/../.."
secs=${SOAK_SECONDS:-600}
seed=${SOAK_SEED:-1000}
batch=${SOAK_BATCH:-8}
graphs=0
start=$SECONDS
while [ $((SECONDS - start)) -lt "$secs" ]; do
    seeds=$(seq "$seed" $((seed + batch - 1)))
    out=$(THREADS_SEEDS="$seeds" THREADS_TSAN_SEEDS="$seeds" THREADS_BIG=1 THREADS_RANDOM_ONLY=1 \
          bash tests/threads/run.sh 2>&1)
    printf '%s\n' "$out" | grep -E '^(PASS|FAIL)' | sed 's/^/  /'
    if printf '%s\n' "$out" | grep -q '^FAIL' || ! printf '%s\n' "$out" | grep -q '^PASS'; then
        printf '%s\n' "$out" | grep -v '^PASS'
        echo "soak: FAILED in seeds $seed-$((seed + batch - 1)) after $graphs graphs and $((SECONDS - start)) s"
        echo "soak: reproduce: THREADS_SEEDS=\"<seed>\" THREADS_TSAN_SEEDS=\"<seed>\" THREADS_BIG=1 bash tests/threads/run.sh (the seed is in the FAIL line above)"
        exit 1
    fi
    graphs=$((graphs + batch))
    seed=$((seed + batch))
done
echo "soak: $graphs graphs (seeds ${SOAK_SEED:-1000}-$((seed - 1))), no failure, in $((SECONDS - start)) s; next: SOAK_SEED=$seed"
