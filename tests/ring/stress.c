/*
** tests/ring/stress.c — the cross-thread stress test of agdf_ring (run by
** tests/ring/run.sh under ThreadSanitizer): a producer thread moves N items
** through one ring to a consumer thread, each side taking batches of a random
** size 1..MAXBATCH.  Every item carries its sequence number and a checksum of
** it; the consumer checks both per item (order and content) and sums the
** checksums.  Both sides stop now and then for 200 us so that the other one
** runs out (of items or of space) and goes to sleep: the run fails unless
** both sides slept at least once, the sum is exact and no item was wrong.
**
**   stress CAP MAXBATCH N      exit 0 when every check holds
**   stress race                a deliberate data race (TSan must report it)
*/
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "agdf_ring.h"

#define MAX_CAP 1024
#define PAUSE_EVERY 50000u             /* items between two pauses of a side */

typedef struct item {
    uint64_t seq;                      /* 0, 1, 2, ... */
    uint64_t check;                    /* mix(seq) */
} item;

static item storage[MAX_CAP];
static agdf_ring ring;
static uint64_t n_items;
static uint32_t max_batch;

static uint64_t mix(uint64_t x)        /* splitmix64's finaliser */
{
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9u;
    x ^= x >> 27; x *= 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

static uint32_t next_batch(uint64_t *rng)
{
    *rng ^= *rng << 13; *rng ^= *rng >> 7; *rng ^= *rng << 17;
    return 1u + (uint32_t)(*rng % max_batch);
}

static void pause_200us(void)
{
    struct timespec ts = {0, 200000};
    nanosleep(&ts, NULL);
}

static void *producer(void *arg)
{
    uint64_t seq = 0, rng = 0x9e3779b97f4a7c15u, next_pause = PAUSE_EVERY;
    uint32_t got, i;
    (void)arg;
    while (seq < n_items) {
        uint32_t want = next_batch(&rng);
        item *p;
        if (want > n_items - seq) want = (uint32_t)(n_items - seq);
        p = agdf_ring_reserve(&ring, want, &got);
        if (!got) {
            agdf_ring_wait_space(&ring);
            continue;
        }
        for (i = 0; i < got; i++, seq++) {
            p[i].seq = seq;
            p[i].check = mix(seq);
        }
        agdf_ring_publish(&ring, got);
        if (seq >= next_pause) { pause_200us(); next_pause += PAUSE_EVERY; }
    }
    agdf_ring_close(&ring);
    return NULL;
}

static int race_counter;
static void *racer(void *arg) { (void)arg; race_counter++; return NULL; }

int main(int argc, char **argv)
{
    pthread_t th;
    uint64_t expect = 0, sum = 0, seq = 0, bad = 0, rng = 0x2545f4914f6cdd1du;
    uint64_t next_pause = PAUSE_EVERY + PAUSE_EVERY / 2;
    uint32_t cap, got, i;

    if (argc == 2) {                   /* "race": the negative control */
        pthread_create(&th, NULL, racer, NULL);
        race_counter++;
        pthread_join(th, NULL);
        return 0;
    }
    if (argc != 4) { fprintf(stderr, "usage: stress CAP MAXBATCH N | stress race\n"); return 2; }
    cap = (uint32_t)strtoul(argv[1], NULL, 10);
    max_batch = (uint32_t)strtoul(argv[2], NULL, 10);
    n_items = strtoull(argv[3], NULL, 10);
    if (cap > MAX_CAP || max_batch == 0 ||
        agdf_ring_init(&ring, storage, sizeof storage, cap, sizeof(item)) != 0) {
        fprintf(stderr, "stress: bad arguments\n");
        return 2;
    }
    for (seq = 0; seq < n_items; seq++) expect += mix(seq);
    pthread_create(&th, NULL, producer, NULL);
    seq = 0;
    for (;;) {
        const item *p = agdf_ring_peek(&ring, next_batch(&rng), &got);
        if (!got) {
            if (!agdf_ring_wait_items(&ring)) break;
            continue;
        }
        for (i = 0; i < got; i++, seq++) {
            bad += p[i].seq != seq || p[i].check != mix(seq);
            sum += p[i].check;
        }
        agdf_ring_release(&ring, got);
        if (seq >= next_pause) { pause_200us(); next_pause += PAUSE_EVERY; }
    }
    pthread_join(th, NULL);
    printf("cap=%" PRIu32 " batch=%" PRIu32 " items=%" PRIu64 " bad=%" PRIu64
           " sum=%s p_sleeps=%" PRIu64 " c_sleeps=%" PRIu64 " p_wakes=%" PRIu64 " c_wakes=%" PRIu64 "\n",
           cap, max_batch, seq, bad, sum == expect ? "ok" : "WRONG",
           ring.p_sleeps, ring.c_sleeps, ring.p_wakes, ring.c_wakes);
    return seq == n_items && bad == 0 && sum == expect && ring.p_sleeps > 0 && ring.c_sleeps > 0 ? 0 : 1;
}
