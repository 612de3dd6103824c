/*
** test_rt_place.c — the automatic placement (runtime/agdf_place.c, the rules
** of docs/threads.md "Placement"): refusals (thread counts, explicit threads
** out of range, bad attributes), one thread, explicit nodes, spread nodes
** over fewer and more threads than tasks, the topological order (chains,
** a diamond, cycles, disconnected nodes) and its cut into balanced runs,
** weights at AGDF_WEIGHT_MAX on 10,000 nodes, a 10,000-node chain within
** 50 ms, 64 threads, random graphs placed twice, and docs/threads.md's
** worked example.  Every placement is
** checked for its invariants: each thread < nthreads, a node that is not
** spread on one thread (its explicit one if any), a spread node's tasks in
** contiguous, even ranges over min(ntasks, nthreads) threads in thread order.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "agdf.h"

#define MAXN 10000                   /* nodes of the largest graph */
#define MAXE 40000                   /* its edges */
#define MAXT (MAXN * 4)              /* its tasks */

static agdf_node_def N[MAXN];        /* the graph under test */
static agdf_node_place PL[MAXN];     /* its attributes */
static agdf_graph_def D;
static uint32_t ESRC[MAXE], EDST[MAXE], DST[MAXE];   /* edges as added; DST: by source */
static uint32_t nedges;
static uint32_t TT[MAXT], TT2[MAXT];  /* placements */
static uint32_t SCRATCH[AGDF_PLACE_SCRATCH(MAXN)];

/* A graph of n automatic nodes of weight 1, one task each, no edges. */
static void g_reset(uint32_t n)
{
    uint32_t i;
    memset(N, 0, sizeof N);
    for (i = 0; i < n; i++) {
        N[i].name = "n";
        N[i].ntasks = 1;
        N[i].queue_size = 1;
        PL[i].thread = -1;
        PL[i].weight = 1;
        PL[i].spread = 0;
    }
    D.name = "g";
    D.nnodes = n;
    D.nodes = N;
    nedges = 0;
}

static void g_edge(uint32_t a, uint32_t b)
{
    assert_true(nedges < MAXE);
    ESRC[nedges] = a;
    EDST[nedges++] = b;
}

/* Lays the edges out per source node, in the order they were added. */
static void g_done(void)
{
    uint32_t i, e, at = 0;
    for (i = 0; i < D.nnodes; i++) {
        N[i].dst = DST + at;
        N[i].ndst = 0;
        for (e = 0; e < nedges; e++)
            if (ESRC[e] == i) DST[at++] = EDST[e];
        N[i].ndst = (uint32_t)(DST + at - N[i].dst);
    }
}

/* A chain 0 -> 1 -> ... -> n-1 of weight-1 nodes (quadratic g_done avoided). */
static void g_chain(uint32_t n)
{
    uint32_t i;
    g_reset(n);
    for (i = 0; i + 1 < n; i++) {
        DST[i] = i + 1;
        N[i].dst = DST + i;
        N[i].ndst = 1;
    }
}

static uint32_t total_tasks(void)
{
    uint32_t i, n = 0;
    for (i = 0; i < D.nnodes; i++) n += N[i].ntasks;
    return n;
}

/* Checks the invariants of a placement on nt threads. */
static void check_placement(const uint32_t *tt, uint32_t nt)
{
    uint32_t i, x, first = 0;
    for (i = 0; i < D.nnodes; first += N[i++].ntasks) {
        const uint32_t *t = tt + first;
        for (x = 0; x < N[i].ntasks; x++) assert_true(t[x] < nt);
        if (PL[i].spread && nt > 1) {
            uint32_t k = N[i].ntasks < nt ? N[i].ntasks : nt, ranks = 1, len = 1;
            uint32_t q = N[i].ntasks / k, rem = N[i].ntasks % k;
            for (x = 1; x <= N[i].ntasks; x++) {
                if (x < N[i].ntasks && t[x] == t[x - 1]) { len++; continue; }
                /* a range ends: its length is q + 1 for the first rem ranks */
                assert_int_equal(len, q + (ranks <= rem));
                if (x < N[i].ntasks) {
                    assert_true(t[x] > t[x - 1]);   /* thread order: contiguous, once */
                    ranks++;
                    len = 1;
                }
            }
            assert_int_equal(ranks, k);
        } else {
            for (x = 0; x < N[i].ntasks; x++) assert_int_equal(t[x], t[0]);
            if (PL[i].thread >= 0 && nt > 1) assert_int_equal(t[0], (uint32_t)PL[i].thread);
            if (nt == 1) assert_int_equal(t[0], 0);
        }
    }
}

/* Places on nt threads (expecting success), checks, and places again over
** scratch and output full of garbage: the same answer. */
static void place(uint32_t nt)
{
    uint32_t bad = 7, n = total_tasks();
    memset(SCRATCH, 0x5a, sizeof SCRATCH);
    memset(TT, 0xff, sizeof TT);
    assert_int_equal(agdf_place(&D, PL, nt, TT, SCRATCH, &bad), 0);
    check_placement(TT, nt);
    memset(SCRATCH, 0xa5, sizeof SCRATCH);
    memset(TT2, 0x33, sizeof TT2);
    assert_int_equal(agdf_place(&D, PL, nt, TT2, SCRATCH, &bad), 0);
    assert_memory_equal(TT, TT2, n * sizeof TT[0]);
}

/* Places and compares with the expected threads, one per task. */
static void expect(uint32_t nt, const uint32_t *want, uint32_t n)
{
    uint32_t x;
    assert_int_equal(total_tasks(), n);
    place(nt);
    for (x = 0; x < n; x++) {
        if (TT[x] != want[x]) print_error("task %u: thread %u, want %u\n", x, TT[x], want[x]);
        assert_int_equal(TT[x], want[x]);
    }
}
#define EXPECT(nt, ...)                                                          \
    do {                                                                        \
        static const uint32_t want_[] = {__VA_ARGS__};                          \
        expect(nt, want_, (uint32_t)(sizeof want_ / sizeof want_[0]));          \
    } while (0)

static void refuse(uint32_t nt, uint32_t want_bad)
{
    uint32_t bad = 12345;
    assert_int_equal(agdf_place(&D, PL, nt, TT, SCRATCH, &bad), -1);
    assert_int_equal(bad, want_bad);
}

static void test_thread_counts_refused(void **state)
{
    (void)state;
    g_chain(3);
    refuse(0, UINT32_MAX);
    refuse(AGDF_THREADS_MAX + 1, UINT32_MAX);
    refuse(UINT32_MAX, UINT32_MAX);
    place(AGDF_THREADS_MAX);
    g_reset(0);             /* no nodes: nothing to place */
    place(2);
}

static void test_bad_attributes_refused(void **state)
{
    (void)state;
    g_chain(4);
    PL[2].thread = 2;       /* >= nthreads */
    refuse(2, 2);
    place(3);
    PL[2].thread = -2;
    refuse(3, 2);
    PL[2].thread = -1;
    PL[1].weight = 0;
    refuse(2, 1);
    PL[1].weight = AGDF_WEIGHT_MAX + 1;
    refuse(2, 1);
    PL[1].weight = AGDF_WEIGHT_MAX;
    place(2);
    PL[3].spread = 1;       /* spread and thread together */
    PL[3].thread = 0;
    refuse(2, 3);
    PL[3].thread = -1;
    {
        static const uint32_t nine = 9;   /* an edge to a node that does not exist */
        N[0].dst = &nine;
        refuse(2, 0);
    }
}

static void test_one_thread(void **state)
{
    (void)state;
    g_chain(4);
    N[1].ntasks = 3;
    PL[1].spread = 1;
    PL[2].thread = 0;
    EXPECT(1, 0, 0, 0, 0, 0, 0);
    PL[2].thread = 1;       /* refused on one thread as on any n <= 1 */
    refuse(1, 2);
}

static void test_chains_cut_evenly(void **state)
{
    (void)state;
    g_chain(4);
    EXPECT(2, 0, 0, 1, 1);
    g_chain(8);
    EXPECT(4, 0, 0, 1, 1, 2, 2, 3, 3);
    g_chain(4);
    PL[0].weight = 3;       /* 3 | 1 1 1 */
    EXPECT(2, 0, 1, 1, 1);
    PL[0].weight = 1;
    PL[3].weight = 3;       /* 1 1 1 | 3 */
    EXPECT(2, 0, 0, 0, 1);
    g_chain(3);
    PL[0].weight = 10;      /* the light nodes stay together */
    EXPECT(3, 0, 1, 1);
    g_chain(2);             /* more threads than nodes */
    EXPECT(4, 0, 1);
    g_chain(5);             /* bound 2: 2 + 2 + 1, thread 3 unused */
    EXPECT(4, 0, 0, 1, 1, 2);
}

static void test_diamond(void **state)
{
    (void)state;
    g_reset(5);             /* a -> b, a -> c, b -> d, c -> d, d -> e */
    g_edge(0, 1);
    g_edge(0, 2);
    g_edge(1, 3);
    g_edge(2, 3);
    g_edge(3, 4);
    g_done();
    EXPECT(2, 0, 0, 0, 1, 1);
    PL[1].weight = 10;      /* heavy branches end up apart: a b | c d e */
    PL[2].weight = 10;
    EXPECT(2, 0, 0, 1, 1, 1);
    g_reset(6);             /* fan-out then fan-in: s -> w1..w4 -> k */
    g_edge(0, 1);
    g_edge(0, 2);
    g_edge(0, 3);
    g_edge(0, 4);
    g_edge(1, 5);
    g_edge(2, 5);
    g_edge(3, 5);
    g_edge(4, 5);
    g_done();
    EXPECT(2, 0, 0, 0, 1, 1, 1);
    EXPECT(3, 0, 0, 1, 1, 2, 2);
}

static void test_cycles(void **state)
{
    (void)state;
    g_reset(4);             /* s -> b, a -> b -> c -> a: order s a b c */
    g_edge(0, 2);
    g_edge(1, 2);
    g_edge(2, 3);
    g_edge(3, 1);
    g_done();
    EXPECT(2, 0, 0, 1, 1);
    g_reset(5);             /* d -> c -> b -> a -> d, e -> e: a cycle entered at a */
    g_edge(3, 2);
    g_edge(2, 1);
    g_edge(1, 0);
    g_edge(0, 3);
    g_edge(4, 4);
    g_done();               /* order a d c b e: a d c | b e */
    EXPECT(2, 0, 1, 0, 0, 1);
    g_reset(3);             /* a cycle downstream of another: after it */
    g_edge(0, 1);
    g_edge(1, 0);
    g_edge(1, 2);
    g_edge(2, 2);
    g_done();
    EXPECT(3, 0, 1, 2);
}

static void test_disconnected(void **state)
{
    (void)state;
    g_reset(4);             /* no edges: declaration order */
    EXPECT(2, 0, 0, 1, 1);
    g_reset(6);             /* chains a1 a2 a3 and b1 b2 b3, declared interleaved */
    g_edge(0, 2);
    g_edge(2, 4);
    g_edge(1, 3);
    g_edge(3, 5);
    g_done();
    EXPECT(2, 0, 1, 0, 1, 0, 1);
}

static void test_explicit_and_automatic(void **state)
{
    (void)state;
    g_chain(5);             /* e(thread 0, weight 2) -> four automatic nodes */
    PL[0].thread = 0;
    PL[0].weight = 2;
    EXPECT(2, 0, 0, 1, 1, 1);
    PL[0].thread = 1;       /* now thread 1 carries 2: 3 + 1 */
    EXPECT(2, 1, 0, 0, 0, 1);
    PL[0].weight = 100;     /* thread 1 is full: everything else on thread 0 */
    EXPECT(2, 1, 0, 0, 0, 0);
    g_chain(4);             /* automatic around an explicit node in the middle */
    PL[1].thread = 2;       /* bound 2: a c | d | b */
    EXPECT(3, 0, 2, 0, 1);
}

static void test_spread(void **state)
{
    (void)state;
    g_chain(3);             /* x(thread 0, weight 5) -> s(2 tasks, spread) -> y */
    PL[0].thread = 0;
    PL[0].weight = 5;
    N[1].ntasks = 2;
    PL[1].spread = 1;
    EXPECT(4, 0, 1, 2, 1);  /* fewer tasks than threads: the 2 least loaded; y
                               on the first thread with room under the bound 5 */
    N[1].ntasks = 5;        /* more tasks than threads: ranges 3 + 2 */
    PL[0].thread = -1;
    PL[0].weight = 1;
    EXPECT(2, 0, 0, 0, 0, 1, 1, 1);
    N[1].ntasks = 7;        /* 3 + 2 + 2: thread 0 carries 3/7, x and y go after */
    EXPECT(3, 1, 0, 0, 0, 1, 1, 2, 2, 2);
    g_reset(2);             /* the home is the first chosen thread in thread order */
    PL[0].thread = 1;
    PL[0].weight = 3;
    N[1].ntasks = 2;
    PL[1].spread = 1;
    EXPECT(3, 1, 0, 2);
    g_reset(3);             /* a spread node's load: weight * share on each thread */
    N[0].ntasks = 4;
    PL[0].spread = 1;
    PL[0].weight = 4;       /* 2 + 2 on threads 0, 1 */
    PL[1].weight = 2;
    EXPECT(2, 0, 0, 1, 1, 0, 1);
    g_reset(3);             /* two spread nodes: the second takes the emptier threads */
    N[0].ntasks = 2;
    N[1].ntasks = 2;
    PL[0].spread = 1;
    PL[1].spread = 1;
    PL[0].weight = 10;
    PL[1].weight = 10;
    EXPECT(4, 0, 1, 2, 3, 0);
}

static void test_max_weights(void **state)
{
    uint32_t i, x, count[AGDF_THREADS_MAX] = {0};
    (void)state;
    g_chain(MAXN);
    for (i = 0; i < MAXN; i++) PL[i].weight = AGDF_WEIGHT_MAX;
    place(64);              /* bound: 157 nodes; 63 * 157 + 109 */
    for (x = 0; x < MAXN; x++) {
        if (x > 0) assert_true(TT[x] == TT[x - 1] || TT[x] == TT[x - 1] + 1);
        count[TT[x]]++;
    }
    for (i = 0; i < 63; i++) assert_int_equal(count[i], 157);
    assert_int_equal(count[63], MAXN - 63 * 157);
    N[0].ntasks = 4;        /* a spread node and explicit ones among them */
    PL[0].spread = 1;
    PL[9].thread = 1;
    PL[5000].thread = 2;
    place(3);
    place(64);
}

static void test_chain_fast(void **state)
{
    struct timespec a, b;
    double ms;
    uint32_t x, bad;
    (void)state;
    g_chain(MAXN);
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(agdf_place(&D, PL, 2, TT, SCRATCH, &bad), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    print_message("10,000-node chain on 2 threads placed in %.2f ms\n", ms);
    assert_true(ms < 50.0);
    for (x = 0; x < MAXN; x++) assert_int_equal(TT[x], x >= MAXN / 2);
    place(2);
}

static void test_64_threads(void **state)
{
    uint32_t x, count[AGDF_THREADS_MAX] = {0};
    (void)state;
    g_chain(64);
    place(64);
    for (x = 0; x < 64; x++) assert_int_equal(TT[x], x);
    g_reset(1);             /* 100 tasks over 64 threads: 36 ranges of 2, 28 of 1 */
    N[0].ntasks = 100;
    PL[0].spread = 1;
    place(64);
    for (x = 0; x < 100; x++) count[TT[x]]++;
    for (x = 0; x < 64; x++) assert_int_equal(count[x], x < 36 ? 2 : 1);
}

static uint64_t rnd_s = 0x9e3779b97f4a7c15u;   /* a fixed seed: the same graphs every run */

static uint32_t rnd(uint32_t n)
{
    rnd_s = rnd_s * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rnd_s >> 33) % n;
}

/* Random graphs: attributes, edges (cycles too), tasks; placed twice on 1 .. 64. */
static void test_random_graphs(void **state)
{
    int round;
    (void)state;
    for (round = 0; round < 300; round++) {
        uint32_t n = 1 + rnd(40), nt = 1 + rnd(AGDF_THREADS_MAX), i, e, ne = rnd(3 * n);
        g_reset(n);
        for (i = 0; i < n; i++) {
            N[i].ntasks = 1 + rnd(6);
            PL[i].weight = 1 + (rnd(4) ? rnd(5) : rnd(AGDF_WEIGHT_MAX));
            switch (rnd(6)) {
            case 0: PL[i].thread = (int32_t)rnd(nt); break;
            case 1: PL[i].spread = 1; break;
            default: break;
            }
        }
        for (e = 0; e < ne; e++) {
            uint32_t a = rnd(n);
            g_edge(a, rnd(n));
        }
        g_done();
        place(nt);
    }
}

/* docs/threads.md's worked example: read -> parse -> hash[4] -> write,
** parse -> compress[3] -> write. */
static void test_docs_example(void **state)
{
    (void)state;
    g_reset(5);             /* read parse hash compress write */
    g_edge(0, 1);
    g_edge(1, 2);
    g_edge(2, 4);
    g_edge(1, 3);
    g_edge(3, 4);
    g_done();
    PL[2].weight = 4;
    PL[3].weight = 3;
    EXPECT(2, 0, 0, 0, 1, 1);
    EXPECT(3, 0, 0, 1, 2, 2);
    N[2].ntasks = 2;        /* hash [max_tasks = 2, spread = true] */
    PL[2].spread = 1;
    EXPECT(2, 0, 0, 0, 1, 1, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_counts_refused),
        cmocka_unit_test(test_bad_attributes_refused),
        cmocka_unit_test(test_one_thread),
        cmocka_unit_test(test_chains_cut_evenly),
        cmocka_unit_test(test_diamond),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_disconnected),
        cmocka_unit_test(test_explicit_and_automatic),
        cmocka_unit_test(test_spread),
        cmocka_unit_test(test_max_weights),
        cmocka_unit_test(test_chain_fast),
        cmocka_unit_test(test_64_threads),
        cmocka_unit_test(test_random_graphs),
        cmocka_unit_test(test_docs_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
