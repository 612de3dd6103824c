/*
** test_rt_mt.c — a graph run on several threads (agdf_mt.c): chains over 2, 3
** and 4 threads at queue_size 1, 16 and 1024, fan-in from several threads into
** one node and fan-out to several, a cycle across threads, halts (the dropped
** items counted exactly), raises and max_exceptions, timers and virtual time
** on several threads, an offload, an fd wait, stops from another thread, spread
** nodes, slices (long windows cut, rings serviced inside bursts; every shape
** again with a slice of 1 ns), rings giving room back in halves (windows of
** half a ring), signals blocked in the runtime's threads, logging, AGDF_AWAIT,
** items of size 0, what threads refuse, a graph run twice.  Every case checks the exact statistics of every node and the sum of
** the items every node saw (conservation on each edge: what a producer yielded
** is what its consumers took, once).  Nodes are written the way agdfc writes
** them, placed explicitly but for the spread nodes (agdf_place places them).
*/
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "test_rt_mt_util.h"

typedef struct { agdf_task agdf; uint32_t agdf_in; uint32_t agdf_out; uint32_t i; } gen_t;
typedef struct { agdf_task agdf; uint32_t agdf_in; uint32_t agdf_out; } pass_t;

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)

/* The counters of a spread node's tasks are written by several threads. */
#define ADD(x, v) ((void)__atomic_add_fetch(&(x), (uint64_t)(v), __ATOMIC_RELAXED))

static uint32_t node_of(agdf_task *t)
{
    return (uint32_t)(t->node - t->node->graph->nodes);
}

/* A source: its start item n yields 1 .. n. */
static int gen_body(agdf_task *t, agdf_io *io)
{
    gen_t *self = (gen_t *)(void *)t;
    AGDF_BEGIN(self);
    ADD(CNT[node_of(t)], 1);
    for (self->i = 1; self->i <= IN(self); self->i++) {
        AGDF_YIELD(self->i);
        if (self->i % 256 == 0)
            AGDF_PASS();                /* a stop ends a source here */
    }
    AGDF_END(self);
}

/* Invocations of node 1 on each thread. */
static uint64_t ON[MT_TMAX];

/* Passes its item on, counting it. */
static int pass_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    uint32_t v = IN(self);
    AGDF_BEGIN(self);
    ADD(SUM[node_of(t)], v);
    ADD(CNT[node_of(t)], 1);
    if (node_of(t) == 1 && t->node->graph->part)
        ADD(ON[t->node->graph->part->thread], 1);
    AGDF_YIELD(v);
    AGDF_END(self);
}

static int sink_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    uint32_t v = IN(self);
    AGDF_BEGIN(self);
    ADD(SUM[node_of(t)], v);
    ADD(CNT[node_of(t)], 1);
    AGDF_END(self);
}


static uint64_t tri(uint64_t n)
{
    return n * (n + 1) / 2;
}

/* ---------------------------------------------------------------- chains */

/* src -> p1 -> ... -> p(len-2) -> sink, node i on thread i % n. */
static void chain(uint32_t n, uint32_t len, uint32_t qs, uint32_t items)
{
    uint32_t i;

    MT_NODE(0, "src", gen_body, gen_t, 1, qs, 0, 1);
    for (i = 1; i + 1 < len; i++)
        MT_NODE(i, "pass", pass_body, pass_t, 1 + i % 3, qs, (int)(i % n), i + 1);
    MT_NODE(len - 1, "sink", sink_body, pass_t, 2, qs, (int)((len - 1) % n), MT_NONE);
    mt_graph(len, 16, n);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(0, 0, items, 0, 0);
    for (i = 1; i < len; i++) {
        mt_expect(i, items, i + 1 < len ? items : 0, 0, 0);
        assert_true(CNT[i] == items);
        assert_true(SUM[i] == tri(items));
    }
    for (i = 0; i < len; i++)
        assert_int_equal(agdf_thread_of(&G, i, 0), (int)(i % n));
}

static void test_chain_2_threads(void **state)
{
    (void)state;
    chain(2, 4, 1, 3000);
    chain(2, 4, 16, 20000);
    chain(2, 4, 1024, 20000);
}

static void test_chain_3_threads(void **state)
{
    (void)state;
    chain(3, 6, 1, 2000);
    chain(3, 6, 16, 20000);
    chain(3, 6, 1024, 20000);
}

static void test_chain_4_threads(void **state)
{
    (void)state;
    chain(4, 8, 1, 2000);
    chain(4, 8, 16, 10000);
    chain(4, 8, 1024, 10000);
}

/* A ring of 4 or more gives its room back to the producer half a ring at a
** time (agdf_mt.c, shadow_release): odd and even sizes (the halves differ
** by one), item counts that leave a last part-window, rings that wrap at
** every size; a ring of 2 or 3 takes its room back whole.  Every item once,
** in order (the sums), the statistics exact. */
static void test_ring_room_in_halves(void **state)
{
    static const uint32_t qs[] = {2, 3, 4, 5, 7, 17, 64};
    uint32_t i;

    (void)state;
    for (i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        chain(2, 4, qs[i], 20011);
        chain(3, 3, qs[i], 5003);
    }
}

/* ---------------------------------------------------------------- fan-in, fan-out */

/* A source that notes the largest window its puts were given (io->nout
** after a put, the slots still reserved) once 2 * queue_size items are out:
** by then its ring's room has come back at least once. */
static uint32_t WIN_MAX;

static int winsrc_body(agdf_task *t, agdf_io *io)
{
    gen_t *self = (gen_t *)(void *)t;
    AGDF_BEGIN(self);
    for (self->i = 1; self->i <= IN(self); self->i++) {
        AGDF_YIELD(self->i);
        if (self->i > 2 * t->node->dst1->cap && io->nout > WIN_MAX)
            WIN_MAX = io->nout;
    }
    AGDF_END(self);
}

/* ... and the halves themselves: across threads a producer's window is at
** most half its ring (the item put and half - 1 more reserved), where a ring
** given back whole would grant whole-ring windows; on one thread the same
** queue grants more (so the check can see a window larger than half). */
/* src -> sink at queue_size qs, sink on thread `sink_thread` of n: the largest
** window src was given. */
static uint32_t largest_window(uint32_t qs, int sink_thread, uint32_t n, uint32_t items)
{
    WIN_MAX = 0;
    MT_NODE(0, "src", winsrc_body, gen_t, 1, qs, 0, 1);
    MT_NODE(1, "sink", sink_body, pass_t, 1, qs, sink_thread, MT_NONE);
    mt_graph(2, 4, n);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    return WIN_MAX;
}

static void test_ring_windows_are_halves(void **state)
{
    static const uint32_t qs[] = {16, 64, 1024};
    uint32_t i, items = 50000;

    (void)state;
    for (i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        assert_true(largest_window(qs[i], 1, 2, items) <= qs[i] / 2 - 1);
        mt_expect(1, items, 0, 0, 0);
        assert_true(SUM[1] == tri(items));
        assert_true(largest_window(qs[i], 0, 1, items) > qs[i] / 2 - 1);   /* one thread */
    }
}

/* Three sources on three threads into one node on a fourth (n = 4) or on
** the first (n = 2: two of them cross). */
static void fan_in(uint32_t n, uint32_t qs, uint32_t items)
{
    uint32_t a = items, b = items / 2, c = items / 3;

    MT_NODE(0, "s0", gen_body, gen_t, 1, 1, 0, 3);
    MT_NODE(1, "s1", gen_body, gen_t, 1, 1, (int)(1 % n), 3);
    MT_NODE(2, "s2", gen_body, gen_t, 1, 1, (int)(2 % n), 3);
    MT_NODE(3, "sink", sink_body, pass_t, 1, qs, (int)(3 % n), MT_NONE);
    mt_graph(4, 16, n);
    assert_int_equal(agdf_start(&G, 0, &a), 0);
    assert_int_equal(agdf_start(&G, 1, &b), 0);
    assert_int_equal(agdf_start(&G, 2, &c), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(3, (uint64_t)a + b + c, 0, 0, 0);
    assert_true(SUM[3] == tri(a) + tri(b) + tri(c));
}

static void test_fan_in(void **state)
{
    (void)state;
    fan_in(2, 1, 3000);
    fan_in(2, 16, 20000);
    fan_in(4, 1, 3000);
    fan_in(4, 16, 20000);
    fan_in(4, 1024, 20000);
}

/* One source, three destinations on other threads (and one on its own). */
static void fan_out(uint32_t n, uint32_t qs, uint32_t items)
{
    uint32_t i;

    MT_NODE(0, "src", gen_body, gen_t, 1, 1, 0, 1, 2, 3, 4);
    for (i = 1; i <= 4; i++)
        MT_NODE(i, "sink", sink_body, pass_t, 1, qs, (int)(i % n), MT_NONE);
    mt_graph(5, 16, n);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(0, 0, items, 0, 0);
    for (i = 1; i <= 4; i++) {
        mt_expect(i, items, 0, 0, 0);
        assert_true(SUM[i] == tri(items));
    }
}

static void test_fan_out(void **state)
{
    (void)state;
    fan_out(2, 1, 3000);
    fan_out(3, 16, 20000);
    fan_out(4, 1024, 20000);
}

/* ---------------------------------------------------------------- spread nodes */

/* src (on src_thread) -> work (spread over n threads, nt tasks) -> sink
** (1 % n): every item once, whichever replica ran it, and at least two
** threads ran some. */
static void spread_case(uint32_t n, uint32_t nt, uint32_t qs, uint32_t items, int src_thread)
{
    uint32_t t, k, hosts = 0;

    MT_NODE(0, "src", gen_body, gen_t, 1, qs, src_thread, 1);
    MT_NODE(1, "work", pass_body, pass_t, nt, qs, -1, 2);
    MT_NODE(2, "sink", sink_body, pass_t, 1, qs, (int)(1 % n), MT_NONE);
    PL[1].spread = 1;
    mt_graph(3, 16, n);
    memset(ON, 0, sizeof ON);
    for (t = 0; t < n; t++) {                 /* each thread hosts a block of tasks */
        int seen = 0;
        for (k = 0; k < nt; k++)
            seen |= agdf_thread_of(&G, 1, k) == (int)t;
        hosts += seen;
    }
    assert_int_equal(hosts, nt < n ? nt : n);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(1, items, items, 0, 0);
    mt_expect(2, items, 0, 0, 0);
    assert_true(CNT[1] == items && SUM[1] == tri(items));
    assert_true(SUM[2] == tri(items));
    for (t = 0, k = 0; t < MT_TMAX; t++)
        k += ON[t] > 0;
    if (qs > 1 && items >= 5000 && nt > 1)   /* the work spread */
        assert_true(k >= 2);
}

static void test_spread_node(void **state)
{
    (void)state;
    spread_case(2, 2, 16, 20000, 0);
    spread_case(2, 4, 1, 3000, 0);
    spread_case(4, 4, 16, 20000, 0);
    spread_case(3, 4, 1024, 20000, 0);
    spread_case(4, 2, 16, 5000, 0);
    spread_case(2, 2, 16, 20000, 1);          /* the producer on a replica's thread */
    spread_case(3, 3, 16, 20000, 2);
    spread_case(4, 2, 16, 20000, 3);          /* ... on a thread without one */
}

/* ---------------------------------------------------------------- slices */

/* Items of at least 20 us (a slice is 10 us: docs/threads.md): on several
** threads each window of them is cut to one item, and the thread services
** its rings after each.  LONG[t]: invocations on thread t that were given a
** window of more than one item (its first: the runtime times it, and knows
** then). */
static uint64_t LONG[MT_TMAX];

static void busy_us(long us)
{
    struct timespec a, b;

    clock_gettime(CLOCK_MONOTONIC, &a);
    do
        clock_gettime(CLOCK_MONOTONIC, &b);
    while ((b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000 < us);
}

static int heavy_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    uint32_t v = IN(self);
    AGDF_BEGIN(self);
    busy_us(20);
    ADD(SUM[node_of(t)], v);
    ADD(CNT[node_of(t)], 1);
    if (t->node->graph->part) {
        ADD(ON[t->node->graph->part->thread], 1);
        if (io->nin)
            ADD(LONG[t->node->graph->part->thread], 1);
    }
    if (t->node->ndst)
        AGDF_YIELD(v);
    AGDF_END(self);
}

/* src (thread 0) -> heavy (thread 1, queue_size 64), and beside it src2
** (thread 0) -> light (thread 1, queue_size 4): thread 1's bursts of heavy
** items are cut to one item each, serviced between, and every item of both
** chains arrives once. */
static void test_slices_cut_long_windows(void **state)
{
    uint32_t items = 300, light = 2000;
    (void)state;
    MT_NODE(0, "src", gen_body, gen_t, 1, 64, 0, 1);
    MT_NODE(1, "heavy", heavy_body, pass_t, 1, 64, 1, MT_NONE);
    MT_NODE(2, "src2", gen_body, gen_t, 1, 4, 0, 3);
    MT_NODE(3, "light", sink_body, pass_t, 1, 4, 1, MT_NONE);
    mt_graph(4, 16, 2);
    memset(ON, 0, sizeof ON);
    memset(LONG, 0, sizeof LONG);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_start(&G, 2, &light), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(1, items, 0, 0, 0);
    mt_expect(3, light, 0, 0, 0);
    assert_true(CNT[1] == items && SUM[1] == tri(items));
    assert_true(CNT[3] == light && SUM[3] == tri(light));
    assert_true(ON[1] == items);
    assert_true(LONG[1] <= 1);                /* then one item per window */
    assert_true(PARTS[1].slices >= items / 2);  /* serviced between them */
}

/* The issue-13 benchmark's shape with heavy items: src -> work (spread
** over 2 threads) -> sink (thread 1), queue_size 16.  The home hands shares
** to the replica between its own items, both cut to one item per window,
** both threads service their rings inside their bursts. */
static void test_slices_spread_node(void **state)
{
    uint32_t items = 400;
    (void)state;
    MT_NODE(0, "src", gen_body, gen_t, 1, 16, 0, 1);
    MT_NODE(1, "work", heavy_body, pass_t, 2, 16, -1, 2);
    MT_NODE(2, "sink", sink_body, pass_t, 1, 16, 1, MT_NONE);
    PL[1].spread = 1;
    mt_graph(3, 16, 2);
    memset(ON, 0, sizeof ON);
    memset(LONG, 0, sizeof LONG);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(1, items, items, 0, 0);
    mt_expect(2, items, 0, 0, 0);
    assert_true(CNT[1] == items && SUM[1] == tri(items) && SUM[2] == tri(items));
    assert_true(ON[0] + ON[1] == items && ON[0] > 0 && ON[1] > 0);
    assert_true(LONG[0] <= 1 && LONG[1] <= 1);
    assert_true(PARTS[0].slices > 0 && PARTS[1].slices > 0);
}

/* A slice of 1 ns: every window of every node is cut to one item and each
** thread services its rings after every item, in the middle of its bursts;
** chains, fan-in, fan-out and spread nodes still deliver every item once
** with exact statistics. */
static void test_slices_of_one_item(void **state)
{
    (void)state;
    MT_SLICE_NS = 1;
    chain(2, 4, 16, 5000);
    chain(3, 6, 1024, 5000);
    chain(4, 8, 1, 1000);
    fan_in(3, 16, 5000);
    fan_out(3, 16, 5000);
    spread_case(2, 2, 16, 5000, 0);
    spread_case(3, 4, 1024, 5000, 1);
    assert_true(PARTS[0].slices > 0 && PARTS[1].slices > 0 && PARTS[2].slices > 0);
    MT_SLICE_NS = 0;
}

/* ---------------------------------------------------------------- a cycle */

/* ping (thread 0) <-> pong (thread 1): each item goes round until it reaches
** 0, decremented by pong; the sink on thread 0 counts the ends. */
static int ping_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    uint32_t v = IN(self);
    AGDF_BEGIN(self);
    ADD(SUM[node_of(t)], v);
    ADD(CNT[node_of(t)], 1);
    AGDF_YIELD(v);
    AGDF_END(self);
}

typedef struct { agdf_task agdf; uint32_t agdf_in; uint32_t agdf_out; } pong_t;

static uint64_t ENDS;

static int pong_body(agdf_task *t, agdf_io *io)
{
    pong_t *self = (pong_t *)(void *)t;
    uint32_t v = IN(self);
    AGDF_BEGIN(self);
    ADD(CNT[node_of(t)], 1);
    if (v == 0) {
        ENDS++;
        return AGDF_DONE;
    }
    AGDF_YIELD(v - 1);
    AGDF_END(self);
}

static void test_cycle_across_threads(void **state)
{
    uint32_t i, rounds = 0;
    (void)state;
    MT_NODE(0, "ping", ping_body, pass_t, 1, 4, 0, 1);
    MT_NODE(1, "pong", pong_body, pong_t, 1, 4, 1, 0);
    mt_graph(2, 16, 2);
    ENDS = 0;
    for (i = 0; i < 4; i++) {
        uint32_t v = 50 + i * 100;
        assert_int_equal(agdf_start(&G, 0, &v), 0);
        rounds += v + 1;
    }
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_true(ENDS == 4);
    assert_true(CNT[0] == rounds && CNT[1] == rounds);
    mt_expect(0, rounds - 4, rounds, 0, 0);     /* the 4 start items are not counted in */
    mt_expect(1, rounds, rounds - 4, 0, 0);
}

/* ---------------------------------------------------------------- halts and raises */

/* Raises on every item that is a multiple of 10 (TENS) and at HALT_AT (a
** halt when the node halts on exceptions). */
static uint32_t HALT_AT;
static int TENS;

static int raiser_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    uint32_t v = IN(self);
    AGDF_BEGIN(self);
    ADD(SUM[node_of(t)], v);
    ADD(CNT[node_of(t)], 1);
    if ((TENS && v % 10 == 0) || v == HALT_AT)
        AGDF_RAISE("bad item %u", (unsigned)v);
    AGDF_YIELD(v);
    AGDF_END(self);
}

/* Per node: what came in (and the start items) was run or dropped, once. */
static void conserved(uint32_t nn, const uint64_t *started)
{
    uint32_t i;

    for (i = 0; i < nn; i++) {
        const agdf_stats *st = agdf_node_stats(&G, i);
        if (st->in + started[i] != CNT[i] + st->dropped)
            print_error("node %u: in %llu + start %llu != invocations %llu + dropped %llu\n",
                        i, (unsigned long long)st->in, (unsigned long long)started[i],
                        (unsigned long long)CNT[i], (unsigned long long)st->dropped);
        assert_true(st->in + started[i] == CNT[i] + st->dropped);
    }
}

/* src (0) -> r1 (1) -> pass (0) -> r2 (1) -> sink (0), both raisers raising
** on multiples of 10 into one pool of 8 records. */
static void test_raises_and_max_exceptions(void **state)
{
    uint32_t items = 1000, i;
    uint64_t started[5] = {1, 0, 0, 0, 0};
    (void)state;
    HALT_AT = 0;
    TENS = 1;
    MT_NODE(0, "src", gen_body, gen_t, 1, 16, 0, 1);
    MT_NODE(1, "r1", raiser_body, pass_t, 2, 16, 1, 2);
    MT_NODE(2, "pass", pass_body, pass_t, 1, 16, 0, 3);
    MT_NODE(3, "r2", raiser_body, pass_t, 2, 16, 1, 4);
    MT_NODE(4, "sink", sink_body, pass_t, 1, 16, 0, MT_NONE);
    for (i = 0; i < 5; i++)
        ND[i].halt_on_exception = 0;
    mt_graph(5, 8, 2);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    mt_expect(1, items, items - items / 10, items / 10, 0);
    mt_expect(3, items - items / 10, items - items / 10, 0, 0);   /* r1 took the tens */
    mt_expect(4, items - items / 10, 0, 0, 0);
    conserved(5, started);
    assert_int_equal(agdf_error_count(&G, 1), 8);   /* the pool keeps the latest 8 */
    assert_int_equal(agdf_error_count(&G, 3), 0);
    assert_non_null(strstr(agdf_error_at(&G, 1, 7)->msg, "bad item"));
    assert_null(agdf_error_at(&G, 1, 8));
    assert_non_null(strstr(LOG, "ERROR:agdf: r1: bad item 10 ("));
}

/* A halt on thread 1 while thread 0 produces: every thread stops, and what
** was queued, in a ring or owed by a parked yield is dropped, counted once. */
static void halt_case(uint32_t n, uint32_t qs, uint32_t at)
{
    uint32_t items = 100000, i;
    uint64_t started[6] = {1, 0, 0, 0, 0, 0};

    HALT_AT = at;
    TENS = 0;
    MT_NODE(0, "src", gen_body, gen_t, 1, qs, 0, 1);
    MT_NODE(1, "pass", pass_body, pass_t, 2, qs, (int)(1 % n), 2);
    MT_NODE(2, "halter", raiser_body, pass_t, 1, qs, (int)(2 % n), 3);
    MT_NODE(3, "pass2", pass_body, pass_t, 1, qs, (int)(3 % n), 4);
    MT_NODE(4, "sink", sink_body, pass_t, 1, qs, (int)(4 % n), MT_NONE);
    ND[2].halt_on_exception = 1;
    mt_graph(5, 4, n);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_HALTED);
    conserved(5, started);
    assert_true(agdf_node_stats(&G, 2)->err == 1);
    assert_true(agdf_node_stats(&G, 0)->out < items);  /* promptly: not all produced */
    assert_non_null(strstr(LOG, "Pipeline execution halted due to an exception in halter node"));
    for (i = 3; i < 5; i++)     /* pass's two tasks may reorder: not all before `at` */
        assert_true(agdf_node_stats(&G, i)->in < items);
}

static void test_halt_counts_dropped(void **state)
{
    (void)state;
    halt_case(2, 1, 7);
    halt_case(2, 16, 503);
    halt_case(3, 1024, 2001);
    halt_case(4, 16, 999);
    halt_case(2, 5, 301);       /* room taken back in halves of 2 */
    halt_case(3, 17, 1001);
}

/* ---------------------------------------------------------------- time */

/* Sleeps ms per item, then passes it on. */
static double SLEEP_MS;

static int sleeper_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    AGDF_BEGIN(self);
    ADD(CNT[node_of(t)], 1);
    ADD(SUM[node_of(t)], IN(self));
    AGDF_SLEEP(SLEEP_MS);
    AGDF_YIELD(IN(self));
    AGDF_END(self);
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* src (0) -> three sleepers (threads 1, 2, 3, each 2 tasks) -> sink (0). */
static void sleepers(double ms, int virt, uint32_t items)
{
    uint32_t i;

    SLEEP_MS = ms;
    MT_NODE(0, "src", gen_body, gen_t, 1, 4, 0, 1, 2, 3);
    for (i = 1; i <= 3; i++)
        MT_NODE(i, "sleeper", sleeper_body, pass_t, 2, 4, (int)i, 4);
    MT_NODE(4, "sink", sink_body, pass_t, 1, 64, 0, MT_NONE);
    mt_graph(5, 4, 4);
    agdf_set_virtual_time(&G, virt);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    for (i = 1; i <= 3; i++) {
        mt_expect(i, items, items, 0, 0);
        assert_true(SUM[i] == tri(items));
    }
    mt_expect(4, 3 * (uint64_t)items, 0, 0, 0);
}

static void test_timers_on_several_threads(void **state)
{
    int64_t t0 = wall_ms(), took;
    (void)state;
    sleepers(5, 0, 20);         /* 10 rounds of two tasks: >= 50 ms, in parallel */
    took = wall_ms() - t0;
    assert_true(took >= 50);
    assert_true(took < 2000);
}

static void test_virtual_time_per_thread(void **state)
{
    int64_t t0 = wall_ms();
    (void)state;
    sleepers(60000, 1, 20);     /* ten minutes of sleeps per thread, at once */
    assert_true(wall_ms() - t0 < 2000);
}

/* ---------------------------------------------------------------- offload */

typedef struct { agdf_task agdf; uint32_t agdf_in; uint32_t agdf_out; uint32_t v; } off_t_;

static void square(void *arg)
{
    uint32_t *v = (uint32_t *)arg;
    *v = *v * 2;
}

static int offl_body(agdf_task *t, agdf_io *io)
{
    off_t_ *self = (off_t_ *)(void *)t;
    AGDF_BEGIN(self);
    ADD(CNT[node_of(t)], 1);
    self->v = IN(self);
    AGDF_OFFLOAD(square, &self->v);
    ADD(SUM[node_of(t)], self->v);
    AGDF_YIELD(self->v);
    AGDF_END(self);
}

static void test_offload_on_threads(void **state)
{
    uint32_t items = 300;
    (void)state;
    MT_NODE(0, "src", gen_body, gen_t, 1, 16, 0, 1, 2);
    MT_NODE(1, "off1", offl_body, off_t_, 3, 16, 1, 3);
    MT_NODE(2, "off0", offl_body, off_t_, 2, 16, 0, 3);
    MT_NODE(3, "sink", sink_body, pass_t, 1, 16, 1, MT_NONE);
    mt_graph(4, 4, 2);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(1, items, items, 0, 0);
    mt_expect(2, items, items, 0, 0);
    assert_true(SUM[1] == 2 * tri(items) && SUM[2] == 2 * tri(items));
    assert_true(SUM[3] == 4 * tri(items));
}

/* ---------------------------------------------------------------- signals */

/* The calling thread's mask: 1 SIGTERM blocked, 2 SIGINT blocked, 4 SIGSEGV
** blocked; 8 says it was looked at. */
static uint32_t sig_bits(void)
{
    sigset_t cur;

    assert_int_equal(pthread_sigmask(SIG_BLOCK, NULL, &cur), 0);
    return 8u | (uint32_t)(sigismember(&cur, SIGTERM) == 1) |
           (uint32_t)(sigismember(&cur, SIGINT) == 1) << 1 |
           (uint32_t)(sigismember(&cur, SIGSEGV) == 1) << 2;
}

static uint32_t SIG_BODY, SIG_CALL;   /* a body's on thread 1, its offloaded call's */

static void sig_call(void *arg)
{
    *(uint32_t *)arg = sig_bits();
}

static int sig_body(agdf_task *t, agdf_io *io)
{
    off_t_ *self = (off_t_ *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    SIG_BODY = sig_bits();
    AGDF_OFFLOAD(sig_call, &self->v);
    SIG_CALL = self->v;
    AGDF_END(self);
}

/* The runtime's threads (a partition's, an offload worker's) block SIGTERM
** and SIGINT, so a program's handler runs on the thread that called agdf_run
** only (two at once raced on the --main program's counter); faults are not
** blocked; the caller's mask is as it was. */
static void test_runtime_threads_block_signals(void **state)
{
    uint32_t items = 1;
    (void)state;
    MT_NODE(0, "src", gen_body, gen_t, 1, 16, 0, 1);
    MT_NODE(1, "sig", sig_body, off_t_, 1, 16, 1, MT_NONE);
    mt_graph(2, 4, 2);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(1, 1, 0, 0, 0);
    assert_int_equal(SIG_BODY, 8 | 1 | 2);
    assert_int_equal(SIG_CALL, 8 | 1 | 2);
    assert_int_equal(sig_bits(), 8);
}

/* ---------------------------------------------------------------- fd waits */

static int PIPE[2];

/* Thread 0 writes one byte per item into a pipe; thread 1 waits for each. */
static int writer_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    AGDF_BEGIN(self);
    ADD(CNT[node_of(t)], 1);
    AGDF_SLEEP(1);
    assert_int_equal(write(PIPE[1], "x", 1), 1);
    AGDF_YIELD(IN(self));
    AGDF_END(self);
}

static int reader_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    char c;
    AGDF_BEGIN(self);
    AGDF_WAIT_READABLE(PIPE[0]);
    assert_int_equal(read(PIPE[0], &c, 1), 1);
    ADD(CNT[node_of(t)], 1);
    ADD(SUM[node_of(t)], IN(self));
    AGDF_END(self);
}

static void test_fd_wait_on_a_thread(void **state)
{
    uint32_t items = 20;
    (void)state;
    assert_int_equal(pipe(PIPE), 0);
    MT_NODE(0, "src", gen_body, gen_t, 1, 4, 0, 1);
    MT_NODE(1, "writer", writer_body, pass_t, 1, 4, 0, 2);
    MT_NODE(2, "reader", reader_body, pass_t, 1, 64, 1, MT_NONE);
    mt_graph(3, 4, 2);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(2, items, 0, 0, 0);
    assert_true(CNT[2] == items && SUM[2] == tri(items));
    close(PIPE[0]);
    close(PIPE[1]);
}

/* ---------------------------------------------------------------- stops */

static void *stopper(void *arg)
{
    struct timespec ts = {0, 30 * 1000000L};
    nanosleep(&ts, NULL);
    agdf_stop(&G, *(int *)arg);
    return NULL;
}

/* An endless source on thread 1 feeding thread 0 and 2; another thread stops. */
static void stop_case(int mode)
{
    uint32_t items = UINT32_MAX;
    uint64_t started[4] = {1, 0, 0, 0};
    pthread_t th;

    MT_NODE(0, "src", gen_body, gen_t, 1, 16, 1, 1);
    MT_NODE(1, "pass", pass_body, pass_t, 1, 16, 0, 2);
    MT_NODE(2, "pass2", pass_body, pass_t, 1, 16, 2, 3);
    MT_NODE(3, "sink", sink_body, pass_t, 1, 16, 0, MT_NONE);
    mt_graph(4, 4, 3);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(pthread_create(&th, NULL, stopper, &mode), 0);
    assert_int_equal(agdf_run(&G), AGDF_STOPPED);
    pthread_join(th, NULL);
    conserved(4, started);
    if (mode == AGDF_STOP_DRAIN) {      /* what the source made flowed through */
        mt_expect(3, agdf_node_stats(&G, 0)->out, 0, 0, 0);
        assert_true(SUM[3] == tri(agdf_node_stats(&G, 0)->out));
    }
}

static void test_stop_abort_from_another_thread(void **state)
{
    (void)state;
    stop_case(AGDF_STOP_ABORT);
}

static void test_stop_drain_from_another_thread(void **state)
{
    (void)state;
    stop_case(AGDF_STOP_DRAIN);
}

/* ---------------------------------------------------------------- logging */

/* Periodic data-flow reports while three threads work (thread 0 reads the
** others' counters under their locks), error lines from two threads at
** once (whole lines), and the final statistics summed over the threads. */
static void test_logging_from_threads(void **state)
{
    uint32_t items = 400, lines = 0, errors = 0;
    const char *p;
    (void)state;
    SLEEP_MS = 1;
    TENS = 1;
    HALT_AT = 0;
    MT_NODE(0, "src", gen_body, gen_t, 1, 4, 0, 1, 2);
    MT_NODE(1, "slow", sleeper_body, pass_t, 4, 4, 1, 3);
    MT_NODE(2, "r1", raiser_body, pass_t, 1, 4, 2, MT_NONE);
    MT_NODE(3, "r2", raiser_body, pass_t, 1, 4, 0, MT_NONE);
    ND[2].halt_on_exception = ND[3].halt_on_exception = 0;
    mt_graph(4, 64, 3);
    assert_int_equal(agdf_set_data_flow_logging(&G, 5, NULL, "flow {node} in={in}"), 0);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    for (p = LOG; (p = strstr(p, "flow slow in=")) != NULL; p++)
        lines++;
    assert_true(lines >= 2);                 /* 100 ms of sleeps, a report every 5 */
    for (p = LOG; (p = strstr(p, "ERROR:agdf: r")) != NULL; p++) {
        assert_true(strncmp(p, "ERROR:agdf: r1: bad item ", 25) == 0 ||
                    strncmp(p, "ERROR:agdf: r2: bad item ", 25) == 0);
        assert_non_null(strchr(p, '\n'));
        errors++;
    }
    assert_int_equal(errors, 2 * items / 10);
    mt_expect(2, items, items - items / 10, items / 10, 0);   /* yields to no one */
    mt_expect(3, items, items - items / 10, items / 10, 0);
    log_n = 0;
    agdf_log_stats(&G);
    assert_non_null(strstr(LOG, "flow slow in=400\n"));
}

/* ---------------------------------------------------------------- refusals */

static void test_what_threads_refuse(void **state)
{
    uint32_t items = 10;
    char path[] = "/tmp/agdf-mt-trace.XXXXXX";
    int fd;
    (void)state;
    chain(2, 3, 4, items);
    mt_graph(3, 4, 2);                        /* an input: not on several threads */
    agdf_input(&G, 0, NULL);
    assert_int_equal(agdf_set_threads(&G, 2), -1);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    assert_non_null(strstr(LOG, "ERROR:agdf: this graph cannot run on several threads"));
    mt_graph(3, 4, 2);                        /* an on_close block */
    agdf_on_close(&G, 1);
    assert_int_equal(agdf_set_threads(&G, 2), -1);
    mt_graph(3, 4, 2);                        /* a trace: refused while set to 2 threads */
    fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    errno = 0;
    assert_int_equal(agdf_trace_open(&G, path), -1);
    assert_int_equal(errno, ENOTSUP);
    for (fd = 0; fd < 3; fd++)
        PL[fd].thread = 0;
    mt_graph(3, 4, 2);
    assert_int_equal(agdf_set_threads(&G, 1), 0);
    assert_int_equal(agdf_trace_open(&G, path), 0);
    assert_int_equal(agdf_set_threads(&G, 2), -1);    /* ... and threads while traced */
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_int_equal(agdf_trace_close(), 0);
    unlink(path);
}

/* ---------------------------------------------------------------- items of size 0 */

typedef struct { agdf_task agdf; char agdf_in; char agdf_out; uint32_t i; } z_t;

static int zgen_body(agdf_task *t, agdf_io *io)
{
    z_t *self = (z_t *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < 5000; self->i++)
        AGDF_YIELD(0);
    AGDF_END(self);
}

static int zpass_body(agdf_task *t, agdf_io *io)
{
    z_t *self = (z_t *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    ADD(CNT[node_of(t)], 1);
    AGDF_YIELD(0);
    AGDF_END(self);
}

static void test_items_of_size_0(void **state)
{
    uint32_t i;
    (void)state;
    MT_NODE(0, "zsrc", zgen_body, z_t, 1, 1, 0, 1);
    MT_NODE(1, "z1", zpass_body, z_t, 2, 16, 1, 2, 3);
    MT_NODE(2, "z2", zpass_body, z_t, 1, 1, 0, MT_NONE);
    MT_NODE(3, "z3", zpass_body, z_t, 1, 7, 2, MT_NONE);
    for (i = 0; i < 4; i++)
        ND[i].item_size = 0;
    mt_graph(4, 4, 3);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(1, 5000, 5000, 0, 0);
    mt_expect(2, 5000, 5000, 0, 0);
    mt_expect(3, 5000, 5000, 0, 0);
    assert_true(CNT[1] == 5000 && CNT[2] == 5000 && CNT[3] == 5000);
}

/* ---------------------------------------------------------------- AGDF_AWAIT */

static int FLAG;

static int waiter_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    AGDF_BEGIN(self);
    ADD(CNT[node_of(t)], 1);
    AGDF_AWAIT(__atomic_load_n(&FLAG, __ATOMIC_RELAXED) == (int)IN(self));
    AGDF_YIELD(IN(self));
    AGDF_END(self);
}

/* A poll on thread 1 whose own items make it true goes on; one that nothing
** can make true fails when the whole run is idle, with the await's error. */
static void test_await_on_a_thread(void **state)
{
    uint32_t items = 3, never = 7;
    (void)state;
    MT_NODE(0, "src", gen_body, gen_t, 1, 4, 0, 1);
    MT_NODE(1, "waiter", waiter_body, pass_t, 1, 4, 1, 2);
    MT_NODE(2, "sink", sink_body, pass_t, 1, 4, 0, MT_NONE);
    mt_graph(3, 4, 2);
    FLAG = 0;
    assert_int_equal(agdf_start(&G, 1, &never), 0);  /* first in its queue: waits forever */
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    assert_non_null(strstr(LOG, "ERROR:agdf: waiter: AGDF_AWAIT can never be satisfied"));
    mt_expect(1, items, 0, 1, items);                 /* its items: dropped, counted */
}

/* ---------------------------------------------------------------- re-run, set-up */

static void test_run_twice_and_setters(void **state)
{
    uint32_t items = 5000;
    (void)state;
    chain(2, 4, 16, items);
    assert_int_equal(agdf_set_threads(&G, 1), -1);   /* the run is over */
    assert_int_equal(agdf_run(&G), AGDF_OK);         /* a finished graph stays finished */
    chain(2, 4, 16, items);                          /* re-init, run again */
    mt_graph(4, 16, 2);
    assert_int_equal(agdf_set_threads(&G, 0), -1);
    assert_int_equal(agdf_set_threads(&G, MT_TMAX + 1), -1);
    assert_int_equal(agdf_set_threads(&G, 1), -1);   /* node 1 is on thread 1 */
    assert_int_equal(agdf_threads(&G), 2);
    assert_int_equal(agdf_step(&G, 10, NULL), -1);   /* several threads: agdf_run only */
    assert_int_equal(agdf_set_threads(&G, 3), 0);
    assert_int_equal(agdf_threads(&G), 3);
    assert_int_equal(agdf_thread_of(&G, 3, 0), 1);
    assert_int_equal(agdf_thread_of(&G, 9, 0), -1);
    assert_int_equal(agdf_thread_of(&G, 1, 7), -1);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    mt_expect(3, items, 0, 0, 0);
}

/* With every node on thread 0 a graph of several threads runs like one. */
static void test_one_thread_of_several(void **state)
{
    uint32_t items = 1000, i;
    (void)state;
    MT_NODE(0, "src", gen_body, gen_t, 1, 4, 0, 1);
    MT_NODE(1, "pass", pass_body, pass_t, 2, 4, 0, 2);
    MT_NODE(2, "sink", sink_body, pass_t, 1, 4, 0, MT_NONE);
    mt_graph(3, 16, 2);
    assert_int_equal(agdf_set_threads(&G, 1), 0);
    assert_int_equal(agdf_start(&G, 0, &items), 0);
    assert_int_equal(agdf_step(&G, 10, NULL), AGDF_STEP_READY);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    for (i = 1; i < 3; i++)
        mt_expect(i, items, i < 2 ? items : 0, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_2_threads),
        cmocka_unit_test(test_chain_3_threads),
        cmocka_unit_test(test_chain_4_threads),
        cmocka_unit_test(test_ring_room_in_halves),
        cmocka_unit_test(test_ring_windows_are_halves),
        cmocka_unit_test(test_fan_in),
        cmocka_unit_test(test_fan_out),
        cmocka_unit_test(test_spread_node),
        cmocka_unit_test(test_slices_cut_long_windows),
        cmocka_unit_test(test_slices_spread_node),
        cmocka_unit_test(test_slices_of_one_item),
        cmocka_unit_test(test_cycle_across_threads),
        cmocka_unit_test(test_raises_and_max_exceptions),
        cmocka_unit_test(test_halt_counts_dropped),
        cmocka_unit_test(test_timers_on_several_threads),
        cmocka_unit_test(test_virtual_time_per_thread),
        cmocka_unit_test(test_offload_on_threads),
        cmocka_unit_test(test_runtime_threads_block_signals),
        cmocka_unit_test(test_fd_wait_on_a_thread),
        cmocka_unit_test(test_stop_abort_from_another_thread),
        cmocka_unit_test(test_stop_drain_from_another_thread),
        cmocka_unit_test(test_logging_from_threads),
        cmocka_unit_test(test_what_threads_refuse),
        cmocka_unit_test(test_items_of_size_0),
        cmocka_unit_test(test_await_on_a_thread),
        cmocka_unit_test(test_run_twice_and_setters),
        cmocka_unit_test(test_one_thread_of_several),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
