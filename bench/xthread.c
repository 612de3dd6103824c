/*
** bench/xthread.c — the cross-thread benchmarks of issue 13's groundwork, run
** by bench/xthread.sh.  Hop cost: a producer thread sends N 8-byte items to
** the main thread, which sums them (the sum is checked), through (a) the agdf
** ring (runtime/agdf_ring.h) publishing one item at a time or batches of up
** to 64, or (b) a plain hand-written SPSC ring (power-of-two capacity, head
** and tail read on every item, sched_yield while blocked) — the baseline a C
** programmer writes with pthreads.  Chain: a CPU-bound 4-stage pipeline
** (each stage W rounds of dependent integer arithmetic, about 1 us) run on
** one thread, then split 2 + 2 stages over two threads joined by an agdf
** ring; both print the same checksum.  Parallel node: the same 4 stages as
** the work of one node on one thread (par1), then with 2 workers (par2): the
** main thread produces the items and hands bursts of up to 64 to whichever
** worker's agdf ring (capacity CAP) has room, each worker runs the 4 stages
** and sums its results, the sums are added after the join (the checksum is
** the chain's).  Output: one key=value line: wall ns per item, and CPU ns per
** item of the producer thread and of the consumer (main) thread, which a
** loaded machine inflates far less than wall time; par2 gives the producer
** (main), the busier worker as the consumer, and every thread's CPU in
** cpu_total.
**
**   xthread ring CAP BATCH N | plain CAP N | chain1 W N | chain2 CAP W N
**   xthread par1 W N | par2 CAP W N
**   xthread calibrate NS       prints the W that makes one stage take NS ns
*/
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agdf_ring.h"

#define MAX_CAP 4096

static uint64_t slots[MAX_CAP];
static agdf_ring ring;
static uint64_t n_items, work_w;
static uint32_t batch;
static double cpu_producer;            /* the producer thread's CPU time, ns */

/* par2's two workers: each its ring from the producer, its sum and CPU time. */
static struct worker {
    agdf_ring ring;                    /* items from the producer */
    uint64_t slots[MAX_CAP];           /* its storage */
    uint64_t sum;                      /* of the 4 stages of every item it took */
    double cpu;                        /* its CPU time, ns */
} workers[2];

static double cpu_ns(void)             /* the calling thread's CPU time */
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ------------------------------------------------------------- agdf ring */

static void ring_send(uint64_t v0, uint64_t n, uint64_t (*f)(uint64_t))
{
    uint64_t v = v0;
    while (v < v0 + n) {
        uint32_t got, i, want = batch;
        uint64_t *p;
        if (want > v0 + n - v) want = (uint32_t)(v0 + n - v);
        p = agdf_ring_reserve(&ring, want, &got);
        if (!got) { agdf_ring_wait_space(&ring); continue; }
        for (i = 0; i < got; i++, v++) p[i] = f ? f(v) : v;
        agdf_ring_publish(&ring, got);
    }
    agdf_ring_close(&ring);
}

static uint64_t ring_receive(agdf_ring *r, uint64_t (*f)(uint64_t))
{
    uint64_t sum = 0;
    for (;;) {
        uint32_t got, i;
        const uint64_t *p = agdf_ring_peek(r, batch, &got);
        if (!got) {
            if (!agdf_ring_wait_items(r)) return sum;
            continue;
        }
        for (i = 0; i < got; i++) sum += f ? f(p[i]) : p[i];
        agdf_ring_release(r, got);
    }
}

static void *ring_producer(void *arg) { (void)arg; ring_send(0, n_items, NULL); cpu_producer = cpu_ns(); return NULL; }

/* ------------------------------------------------------------- plain SPSC */

static struct {
    uint64_t buf[MAX_CAP];
    uint32_t mask;
    __attribute__((aligned(64))) uint32_t head;
    __attribute__((aligned(64))) uint32_t tail;
} plain;

static void *plain_producer(void *arg)
{
    uint64_t v;
    uint32_t h = 0;
    (void)arg;
    for (v = 0; v < n_items; v++, h++) {
        while (h - __atomic_load_n(&plain.tail, __ATOMIC_ACQUIRE) > plain.mask) sched_yield();
        plain.buf[h & plain.mask] = v;
        __atomic_store_n(&plain.head, h + 1, __ATOMIC_RELEASE);
    }
    cpu_producer = cpu_ns();
    return NULL;
}

static uint64_t plain_receive(void)
{
    uint64_t sum = 0, k;
    uint32_t t = 0;
    for (k = 0; k < n_items; k++, t++) {
        while (__atomic_load_n(&plain.head, __ATOMIC_ACQUIRE) == t) sched_yield();
        sum += plain.buf[t & plain.mask];
        __atomic_store_n(&plain.tail, t + 1, __ATOMIC_RELEASE);
    }
    return sum;
}

/* ------------------------------------------------------------- chain */

/* One stage: W rounds of a dependent multiply-xorshift (not vectorisable,
** not foldable), about 1 ns a round on current x86-64. */
static uint64_t stage(uint64_t x)
{
    uint64_t k;
    for (k = 0; k < work_w; k++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        x ^= x >> 29;
    }
    return x;
}
static uint64_t stages12(uint64_t x) { return stage(stage(x)); }

static uint64_t stages1234(uint64_t x) { return stage(stage(stages12(x))); }

static void *chain_producer(void *arg)
{
    (void)arg;
    ring_send(0, n_items, stages12);
    cpu_producer = cpu_ns();
    return NULL;
}

/* ------------------------------------------------------------- parallel node */

static void *par_worker(void *arg)
{
    struct worker *w = arg;
    w->sum = ring_receive(&w->ring, stages1234);
    w->cpu = cpu_ns();
    return NULL;
}

/* The producer: bursts of up to `batch` items to the worker whose turn it is,
** or to the other one when its ring is full; waits for room in the first only
** when both are full (then both workers have a full ring of work). */
static void par_send(void)
{
    uint64_t v = 0;
    unsigned w = 0;
    while (v < n_items) {
        uint32_t got, i, want = batch;
        uint64_t *p;
        if (want > n_items - v) want = (uint32_t)(n_items - v);
        p = agdf_ring_reserve(&workers[w].ring, want, &got);
        if (!got) {
            p = agdf_ring_reserve(&workers[w ^ 1].ring, want, &got);
            if (!got) { agdf_ring_wait_space(&workers[w].ring); continue; }
            w ^= 1;
        }
        for (i = 0; i < got; i++, v++) p[i] = v;
        agdf_ring_publish(&workers[w].ring, got);
        w ^= 1;
    }
    agdf_ring_close(&workers[0].ring);
    agdf_ring_close(&workers[1].ring);
}

/* ------------------------------------------------------------- main */

static uint64_t arg(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v < 1) { fprintf(stderr, "xthread: bad number: %s\n", s); exit(2); }
    return v;
}

static void start_ring(agdf_ring *r, uint64_t *storage, uint64_t cap)
{
    if (cap > MAX_CAP || agdf_ring_init(r, storage, MAX_CAP * sizeof *storage, (uint32_t)cap, sizeof *storage)) {
        fprintf(stderr, "xthread: bad capacity\n");
        exit(2);
    }
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    pthread_t th, wth[2];
    uint64_t sum = 0, want = 0, v;
    double t0, t1, c0, n, cpu_total = -1;
    agdf_ring *sleeps = &ring;          /* whose sleep counts are printed */
    int wk;                             /* par2's worker */

    if (!strcmp(m, "calibrate") && argc == 3) {
        uint64_t target = arg(argv[2]), k, x = 1;
        work_w = 100000;
        t0 = cpu_ns();                  /* CPU time: a loaded machine does not skew it */
        for (k = 0; k < 200; k++) x = stage(x);
        t1 = cpu_ns();
        printf("%" PRIu64 "\n", (uint64_t)(target * 200.0 * 100000 / (t1 - t0)) + (x == 42));
        return 0;
    }
    if (!strcmp(m, "ring") && argc == 5) {
        start_ring(&ring, slots, arg(argv[2]));
        batch = (uint32_t)arg(argv[3]);
        n_items = arg(argv[4]);
        t0 = now_ns();
        c0 = cpu_ns();
        pthread_create(&th, NULL, ring_producer, NULL);
        sum = ring_receive(&ring, NULL);
        pthread_join(th, NULL);
        t1 = now_ns();
        c0 = cpu_ns() - c0;
        want = n_items * (n_items - 1) / 2;
    } else if (!strcmp(m, "plain") && argc == 4) {
        uint64_t cap = arg(argv[2]);
        if (cap > MAX_CAP || (cap & (cap - 1))) { fprintf(stderr, "xthread: plain: power of two <= %d\n", MAX_CAP); return 2; }
        plain.mask = (uint32_t)cap - 1;
        n_items = arg(argv[3]);
        t0 = now_ns();
        c0 = cpu_ns();
        pthread_create(&th, NULL, plain_producer, NULL);
        sum = plain_receive();
        pthread_join(th, NULL);
        t1 = now_ns();
        c0 = cpu_ns() - c0;
        want = n_items * (n_items - 1) / 2;
    } else if (!strcmp(m, "chain1") && argc == 4) {
        work_w = arg(argv[2]);
        n_items = arg(argv[3]);
        t0 = now_ns();
        c0 = cpu_ns();
        for (v = 0; v < n_items; v++) sum += stage(stage(stages12(v)));
        t1 = now_ns();
        c0 = cpu_ns() - c0;
        want = sum;                     /* the reference: chain2 must print the same */
    } else if (!strcmp(m, "par1") && argc == 4) {
        work_w = arg(argv[2]);
        n_items = arg(argv[3]);
        t0 = now_ns();
        c0 = cpu_ns();
        for (v = 0; v < n_items; v++) sum += stages1234(v);
        t1 = now_ns();
        c0 = cpu_ns() - c0;
        want = sum;                     /* xthread.sh compares it with chain1's */
    } else if (!strcmp(m, "par2") && argc == 5) {
        uint64_t cap = arg(argv[2]);
        for (wk = 0; wk < 2; wk++) start_ring(&workers[wk].ring, workers[wk].slots, cap);
        batch = 64;
        work_w = arg(argv[3]);
        n_items = arg(argv[4]);
        t0 = now_ns();
        c0 = cpu_ns();
        for (wk = 0; wk < 2; wk++) pthread_create(&wth[wk], NULL, par_worker, &workers[wk]);
        par_send();
        cpu_producer = cpu_ns() - c0;
        for (wk = 0; wk < 2; wk++) pthread_join(wth[wk], NULL);
        t1 = now_ns();
        sum = workers[0].sum + workers[1].sum;
        c0 = workers[0].cpu > workers[1].cpu ? workers[0].cpu : workers[1].cpu;
        cpu_total = cpu_producer + workers[0].cpu + workers[1].cpu;
        workers[0].ring.p_sleeps += workers[1].ring.p_sleeps;
        workers[0].ring.c_sleeps += workers[1].ring.c_sleeps;
        sleeps = &workers[0].ring;      /* both rings' */
        want = sum;
    } else if (!strcmp(m, "chain2") && argc == 5) {
        start_ring(&ring, slots, arg(argv[2]));
        batch = 64;
        work_w = arg(argv[3]);
        n_items = arg(argv[4]);
        t0 = now_ns();
        c0 = cpu_ns();
        pthread_create(&th, NULL, chain_producer, NULL);
        sum = ring_receive(&ring, stages12);
        pthread_join(th, NULL);
        t1 = now_ns();
        c0 = cpu_ns() - c0;
        want = sum;
    } else {
        fprintf(stderr, "usage: xthread ring CAP BATCH N | plain CAP N | chain1 W N | chain2 CAP W N"
                " | par1 W N | par2 CAP W N | calibrate NS\n");
        return 2;
    }
    n = (double)n_items;
    printf("items=%" PRIu64 " ns_per_item=%.2f cpu_producer=%.2f cpu_consumer=%.2f sum=%" PRIu64
           " ok=%d p_sleeps=%" PRIu64 " c_sleeps=%" PRIu64, n_items, (t1 - t0) / n,
           cpu_producer / n, c0 / n, sum, sum == want, sleeps->p_sleeps, sleeps->c_sleeps);
    if (cpu_total >= 0) printf(" cpu_total=%.2f", cpu_total / n);
    printf("\n");
    return sum == want ? 0 : 1;
}
