/*
** test_rt_sched.c — the scheduler's order and data-flow guarantees, with nodes
** written by hand the way agdfc generates them: the reference's custom start node
** examples (printed order and stats), backpressure with queue_size 1 and a
** fan-out to three (no loss, duplication or reordering), two conformance cases
** ported by hand (case_00, case_08: printed order and stats of the reference),
** re-running an initialised graph, driving it with agdf_step, AGDF_AWAIT.
*/
#include "test_rt_util.h"

/* ---------------------------------------------------------------- custom start nodes */

typedef struct { agdf_task agdf; word agdf_in; word agdf_out; } wtask;
typedef struct { agdf_task agdf; word agdf_in; char agdf_out; } wsink;

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)

static int cs_node1(agdf_task *t, agdf_io *io)
{
    wtask *self = (wtask *)(void *)t;
    word data = IN(self);
    AGDF_BEGIN(self);
    say("node1 received: %s", data.s);
    AGDF_YIELD(data);
    AGDF_YIELD(mkword("hello"));
    AGDF_YIELD(mkword("world"));
    AGDF_END(self);
}

static int cs_node2(agdf_task *t, agdf_io *io)
{
    wtask *self = (wtask *)(void *)t;
    word data = IN(self);
    AGDF_BEGIN(self);
    say("node2 received: %s", data.s);
    AGDF_YIELD(data);
    AGDF_YIELD(mkword("data1"));
    AGDF_YIELD(mkword("data2"));
    AGDF_END(self);
}

#undef AGDF_OUT_MAKE
#define AGDF_OUT_MAKE() ((char)0)

static int cs_node3(agdf_task *t, agdf_io *io)
{
    wsink *self = (wsink *)(void *)t;
    word data = IN(self);
    AGDF_BEGIN(self);
    say("node3 received: %s", data.s);
    AGDF_YIELD();
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const uint32_t to3[] = {2};
static const agdf_node_def cs_nodes[] = {
    NODE("node1", cs_node1, wtask, 1, 10000, sizeof(word), -1, to3),
    NODE("node2", cs_node2, wtask, 1, 10000, sizeof(word), -1, to3),
    NODE0("node3", cs_node3, wsink, 1, 10000, sizeof(word), -1),
};
static const agdf_graph_def cs_graph = {"custom", 3, cs_nodes, 0, 1000};

static const char cs_expected[] =
    "node1 received: foo\n" "node2 received: bar\n" "node3 received: foo\n"
    "node3 received: hello\n" "node3 received: world\n" "node3 received: bar\n"
    "node3 received: data1\n" "node3 received: data2\n";

static void cs_start(void)
{
    word foo = mkword("foo"), bar = mkword("bar");
    assert_int_equal(agdf_start(&G, 0, &foo), 0);
    assert_int_equal(agdf_start(&G, 1, &bar), 0);
    assert_int_equal(agdf_started(&G), 2);
}

static void test_custom_start_with_arguments(void **state)
{
    (void)state;
    tg_init(&cs_graph);
    cs_start();
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, cs_expected);
    expect_stats(0, 0, 3, 0);
    expect_stats(1, 0, 3, 0);
    expect_stats(2, 6, 6, 0);
    assert_string_equal(LOG, "");
}

/* The first example: node1 -> node2 -> node3 started at node2("new_data"). */
static const uint32_t to2[] = {1};
static const agdf_node_def cs1_nodes[] = {
    NODE("node1", cs_node1, wtask, 1, 10000, sizeof(word), -1, to2),
    NODE("node2", cs_node2, wtask, 1, 10000, sizeof(word), -1, to3),
    NODE0("node3", cs_node3, wsink, 1, 10000, sizeof(word), -1),
};
static const agdf_graph_def cs1_graph = {"custom1", 3, cs1_nodes, 0, 1000};

static void test_custom_start_node(void **state)
{
    word nd = mkword("new_data");
    (void)state;
    tg_init(&cs1_graph);
    assert_int_equal(agdf_start(&G, 1, &nd), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "node2 received: new_data\nnode3 received: new_data\n"
                             "node3 received: data1\nnode3 received: data2\n");
    expect_stats(0, 0, 0, 0);
    expect_stats(1, 0, 3, 0);
    expect_stats(2, 3, 3, 0);
    agdf_log_stats(&G);
    assert_string_equal(LOG, "INFO:agdf: node1 - in=0, out=0, err=0\n"
                             "INFO:agdf: node2 - in=0, out=3, err=0\n"
                             "INFO:agdf: node3 - in=3, out=3, err=0\n");
}

static void test_rerun(void **state)
{
    int k;
    (void)state;
    for (k = 0; k < 3; k++) {
        tg_init(&cs_graph);
        cs_start();
        assert_int_equal(agdf_run(&G), AGDF_OK);
        assert_string_equal(OUT, cs_expected);
        expect_stats(2, 6, 6, 0);
        assert_int_equal(agdf_run(&G), AGDF_OK);     /* finished: nothing more */
        expect_stats(2, 6, 6, 0);
    }
}

static void test_step(void **state)
{
    int64_t ms = 99;
    int r, steps = 0;
    (void)state;
    tg_init(&cs_graph);
    cs_start();
    while ((r = agdf_step(&G, 1, &ms)) == AGDF_STEP_READY)
        steps++;
    assert_int_equal(r, AGDF_STEP_DONE);
    assert_true(steps >= 2);
    assert_string_equal(OUT, cs_expected);
    assert_int_equal(agdf_result(&G), AGDF_OK);
    assert_int_equal(agdf_step(&G, 10, &ms), AGDF_STEP_DONE);
    expect_stats(2, 6, 6, 0);
}

static void test_start_queue_full(void **state)
{
    static const agdf_node_def one[] = {
        NODE0("node3", cs_node3, wsink, 1, 2, sizeof(word), -1),
    };
    static const agdf_graph_def g1 = {"full", 1, one, 0, 10};
    word w = mkword("x");
    (void)state;
    tg_init(&g1);
    assert_int_equal(agdf_start(&G, 0, &w), 0);
    assert_int_equal(agdf_start(&G, 0, &w), 0);
    assert_int_equal(agdf_start(&G, 0, &w), -1);
    assert_int_equal(agdf_start(&G, 0, NULL), -1);    /* needs an item */
    assert_int_equal(agdf_start(&G, 7, &w), -1);
    assert_int_equal(agdf_started(&G), 2);
    assert_int_equal(agdf_node_index(&G, "node3"), 0);
    assert_int_equal(agdf_node_index(&G, "nope"), -1);
    assert_int_equal(agdf_node_count(&G), 1);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    expect_stats(0, 0, 2, 0);
}

/* ---------------------------------------------------------------- backpressure */

#define BP_N 500
typedef struct { agdf_task agdf; char agdf_in; int agdf_out; int i; } srctask;
typedef struct { agdf_task agdf; int agdf_in; int agdf_out; int k; } itask;

static int bp_seen[4][BP_N];
static int bp_count[4];

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)
static int bp_src(agdf_task *t, agdf_io *io)
{
    srctask *self = (srctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < BP_N; self->i++)
        AGDF_YIELD(self->i);
    AGDF_END(self);
}

/* middle: forwards, sometimes passing first; 2 tasks compete for the queue */
static int bp_mid(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    if (v % 3 == 0)
        AGDF_PASS();
    AGDF_YIELD(v);
    AGDF_END(self);
}

/* sinks record what they get; sink b passes a lot, so its queue stays full */
static int bp_sink(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    int which = (int)(self->agdf.node - G.nodes) - 2;
    AGDF_BEGIN(self);
    bp_seen[which][bp_count[which]++] = v;
    for (self->k = 0; self->k < which; self->k++)
        AGDF_PASS();
    AGDF_YIELD(v);
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const uint32_t bp_to_mid[] = {1};
static const uint32_t bp_fan[] = {2, 3, 4};
static const agdf_node_def bp_nodes[] = {
    NODE("src", bp_src, srctask, 1, 1, 0, -1, bp_to_mid),
    NODE("mid", bp_mid, itask, 1, 1, sizeof(int), -1, bp_fan),
    NODE0("a", bp_sink, itask, 1, 1, sizeof(int), -1),
    NODE0("b", bp_sink, itask, 1, 1, sizeof(int), -1),
    NODE0("c", bp_sink, itask, 1, 1, sizeof(int), -1),
};
static const agdf_graph_def bp_graph = {"bp", 5, bp_nodes, 0, 10};

static void test_backpressure_fanout(void **state)
{
    int s, i;
    (void)state;
    memset(bp_count, 0, sizeof bp_count);
    tg_init(&bp_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    for (s = 0; s < 3; s++) {
        assert_int_equal(bp_count[s], BP_N);
        for (i = 0; i < BP_N; i++)
            assert_int_equal(bp_seen[s][i], i);
        expect_stats((uint32_t)s + 2, BP_N, BP_N, 0);
        assert_int_equal(agdf_node_stats(&G, (uint32_t)s + 2)->dropped, 0);
    }
    expect_stats(0, 0, BP_N, 0);
    expect_stats(1, BP_N, BP_N, 0);
}

/* ---------------------------------------------------------------- conformance case_00 */

typedef struct { agdf_task agdf; int agdf_in; int agdf_out; int j; } ctask;
typedef struct { agdf_task agdf; char agdf_in; int agdf_out; int j; } c0task;

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)
#define ARG(t) (((ctask *)(void *)(t))->agdf_in)

static int k0_n0(agdf_task *t, agdf_io *io)
{
    c0task *self = (c0task *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    say("n0 got %d", -1);
    for (self->j = 0; self->j < 1; self->j++) {
        if (self->j == 2) AGDF_PASS();
        AGDF_YIELD(((-1 + 1000) * 31 + 0 + self->j) % 1000);
    }
    AGDF_END(self);
}

static int k0_n1(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("n1 got %d", v);
    AGDF_PASS();
    for (self->j = 0; self->j < 1; self->j++) {
        if (self->j == 1 || self->j == 3) AGDF_PASS();
        AGDF_YIELD(((v + 1000) * 31 + 7 + self->j) % 1000);
    }
    AGDF_END(self);
}

static int k0_n2(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("n2 got %d", v);
    AGDF_PASS();
    for (self->j = 0; self->j < 3; self->j++) {
        if (self->j == 2 || self->j == 3) AGDF_PASS();
        AGDF_YIELD(((v + 1000) * 31 + 14 + self->j) % 1000);
    }
    AGDF_END(self);
}

static int k0_n3(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("n3 got %d", v);
    AGDF_PASS();
    for (self->j = 0; self->j < 2; self->j++) {
        AGDF_YIELD(((v + 1000) * 31 + 21 + self->j) % 1000);
        if (v % 7 == 0) AGDF_RAISE("bad %d", v);
    }
    AGDF_END(self);
}

static int k0_n4(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("n4 got %d", v);
    AGDF_PASS();
    for (self->j = 0; self->j < 2; self->j++) {
        AGDF_YIELD(((v + 1000) * 31 + 28 + self->j) % 1000);
        if (v % 7 == 0) AGDF_RAISE("bad %d", v);
    }
    AGDF_END(self);
}

static int k0_n5(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("n5 got %d", v);
    for (self->j = 0; self->j < 1; self->j++) {
        if (self->j == 0 || self->j == 1 || self->j == 2) AGDF_PASS();
        AGDF_YIELD(((v + 1000) * 31 + 35 + self->j) % 1000);
        if (v % 5 == 0) AGDF_RAISE("bad %d", v);
    }
    AGDF_END(self);
}

static const uint32_t k0_d0[] = {1}, k0_d1[] = {2}, k0_d2[] = {3, 5}, k0_d3[] = {4}, k0_d4[] = {5};
static const agdf_node_def k0_nodes[] = {
    NODE("n0", k0_n0, c0task, 1, 4, 0, -1, k0_d0),
    NODE("n1", k0_n1, ctask, 3, 10000, sizeof(int), -1, k0_d1),
    NODE("n2", k0_n2, ctask, 3, 10000, sizeof(int), -1, k0_d2),
    NODE("n3", k0_n3, ctask, 1, 10000, sizeof(int), -1, k0_d3),
    NODE("n4", k0_n4, ctask, 2, 2, sizeof(int), -1, k0_d4),
    NODE0("n5", k0_n5, ctask, 1, 3, sizeof(int), -1),
};
static const agdf_graph_def k0_graph = {"case_00", 6, k0_nodes, 0, 1000};

static void test_conformance_case_00(void **state)
{
    static const char want[] =
        "n0 got -1\n" "n1 got 969\n" "n2 got 46\n" "n3 got 440\n" "n5 got 440\n"
        "n3 got 441\n" "n5 got 441\n" "n4 got 661\n" "n4 got 662\n" "n3 got 442\n"
        "n5 got 442\n" "n4 got 692\n" "n5 got 519\n" "n5 got 520\n" "n4 got 723\n"
        "n5 got 550\n" "n5 got 480\n" "n4 got 724\n" "n5 got 481\n" "n5 got 441\n"
        "n5 got 442\n" "n5 got 472\n" "n5 got 473\n" "n5 got 551\n";
    (void)state;
    tg_init(&k0_graph);
    agdf_set_virtual_time(&G, 1);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    assert_string_equal(OUT, want);
    expect_stats(0, 0, 1, 0);
    expect_stats(1, 1, 1, 0);
    expect_stats(2, 1, 3, 0);
    expect_stats(3, 3, 5, 1);
    expect_stats(4, 5, 10, 0);
    expect_stats(5, 13, 13, 4);
}

/* ---------------------------------------------------------------- conformance case_08 */

static int k8_n0(agdf_task *t, agdf_io *io)
{
    c0task *self = (c0task *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    say("n0 got %d", -1);
    AGDF_PASS();
    for (self->j = 0; self->j < 1; self->j++) {
        if (self->j == 3) AGDF_PASS();
        AGDF_YIELD(((-1 + 1000) * 31 + 0 + self->j) % 1000);
    }
    AGDF_END(self);
}

static int k8_n1(agdf_task *t, agdf_io *io)
{
    c0task *self = (c0task *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    say("n1 got %d", -1);
    AGDF_END(self);
}

static int k8_n2(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("n2 got %d", v);
    for (self->j = 0; self->j < 3; self->j++) {
        if (self->j == 0 || self->j == 1) AGDF_PASS();
        AGDF_YIELD(((v + 1000) * 31 + 14 + self->j) % 1000);
    }
    AGDF_END(self);
}

static int k8_n3(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("n3 got %d", v);
    AGDF_PASS();
    for (self->j = 0; self->j < 3; self->j++) {
        if (self->j == 2 || self->j == 3) AGDF_PASS();
        AGDF_YIELD(((v + 1000) * 31 + 21 + self->j) % 1000);
    }
    AGDF_END(self);
}

static int k8_n4(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("n4 got %d", v);
    AGDF_END(self);
}

static int k8_n5(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("n5 got %d", v);
    for (self->j = 0; self->j < 3; self->j++) {
        if (self->j == 2) AGDF_PASS();
        AGDF_YIELD(((v + 1000) * 31 + 35 + self->j) % 1000);
        if (v % 7 == 0) AGDF_RAISE("bad %d", v);
    }
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const uint32_t k8_d1[] = {2, 4}, k8_d2[] = {3}, k8_d3[] = {4}, k8_d4[] = {5};
static const agdf_node_def k8_nodes[] = {
    NODE0("n0", k8_n0, c0task, 1, 4, 0, -1),
    NODE("n1", k8_n1, c0task, 2, 3, 0, -1, k8_d1),
    NODE("n2", k8_n2, ctask, 1, 1, sizeof(int), -1, k8_d2),
    NODE("n3", k8_n3, ctask, 3, 2, sizeof(int), -1, k8_d3),
    NODE("n4", k8_n4, ctask, 2, 1, sizeof(int), -1, k8_d4),
    NODE0("n5", k8_n5, ctask, 1, 1, sizeof(int), -1),
};
static const agdf_graph_def k8_graph = {"case_08", 6, k8_nodes, 0, 1000};

static void test_conformance_case_08(void **state)
{
    (void)state;
    tg_init(&k8_graph);
    agdf_set_virtual_time(&G, 1);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 1, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "n0 got -1\nn1 got -1\n");
    expect_stats(0, 0, 1, 0);
    for (uint32_t i = 1; i < 6; i++)
        expect_stats(i, 0, 0, 0);
}

/* ---------------------------------------------------------------- AGDF_AWAIT, rule 1 */

static int flag;
typedef struct { agdf_task agdf; char agdf_in; char agdf_out; } vtask;
#define AGDF_OUT_MAKE() ((char)0)
static int aw_waiter(agdf_task *t, agdf_io *io)
{
    vtask *self = (vtask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    say("waiter %u starts", self->agdf.index);
    AGDF_AWAIT(flag >= 3);
    say("waiter %u sees %d", self->agdf.index, flag);
    AGDF_YIELD();
    AGDF_END(self);
}

static int aw_setter(agdf_task *t, agdf_io *io)
{
    vtask *self = (vtask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    while (flag < 3) {
        flag++;
        say("flag %d", flag);
        AGDF_PASS();
    }
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const agdf_node_def aw_nodes[] = {
    NODE0("waiter", aw_waiter, vtask, 2, 4, 0, -1),
    NODE0("setter", aw_setter, vtask, 1, 4, 0, -1),
};
static const agdf_graph_def aw_graph = {"await", 2, aw_nodes, 0, 10};

static void test_await_and_initial_order(void **state)
{
    (void)state;
    flag = 0;
    tg_init(&aw_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 1, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "waiter 0 starts\nwaiter 1 starts\nflag 1\nflag 2\nflag 3\n"
                             "waiter 0 sees 3\nwaiter 1 sees 3\n");
    expect_stats(0, 0, 2, 0);
}

/* AGDF_AWAIT on a condition a sleeping task sets: under virtual time the
** clock must advance although the poller is always ready (it used to spin
** forever), and with no event left at all the await fails instead of hanging. */
static int aw_sleeper(agdf_task *t, agdf_io *io)
{
    vtask *self = (vtask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    AGDF_SLEEP(100);
    flag = 3;
    say("set at %lld", (long long)agdf_now_ms(&G));
    AGDF_END(self);
}
static const agdf_node_def aws_nodes[] = {
    NODE0("waiter", aw_waiter, vtask, 1, 4, 0, -1),
    NODE0("sleeper", aw_sleeper, vtask, 1, 4, 0, -1),
};
static const agdf_graph_def aws_graph = {"await_sleep", 2, aws_nodes, 0, 10};
static const agdf_graph_def awd_graph = {"await_dead", 1, aws_nodes, 0, 10};

static void test_await_timer_and_deadlock(void **state)
{
    (void)state;
    flag = 0;
    tg_init(&aws_graph);
    agdf_set_virtual_time(&G, 1);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 1, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "waiter 0 starts\nset at 100\nwaiter 0 sees 3\n");

    flag = 0;                               /* the sleeper never runs: nothing can help */
    tg_init(&awd_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    assert_string_equal(OUT, "waiter 0 starts\nwaiter 0 starts\n");
    expect_stats(0, 0, 0, 2);
    assert_non_null(strstr(LOG, "waiter: AGDF_AWAIT can never be satisfied"));
}

/* Several suspending macros on one source line: each resume point has its own
** number, so the two tasks interleave at every pass. */
static int ol_body(agdf_task *t, agdf_io *io)
{
    vtask *self = (vtask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    say("%u a", self->agdf.index); AGDF_PASS(); say("%u b", self->agdf.index); AGDF_PASS(); say("%u c", self->agdf.index);
    AGDF_END(self);
}
static const agdf_node_def ol_nodes[] = {
    NODE0("oneline", ol_body, vtask, 2, 4, 0, -1),
};
static const agdf_graph_def ol_graph = {"oneline", 1, ol_nodes, 0, 10};

static void test_suspensions_on_one_line(void **state)
{
    (void)state;
    tg_init(&ol_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "0 a\n1 a\n0 b\n1 b\n0 c\n1 c\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_custom_start_with_arguments),
        cmocka_unit_test(test_custom_start_node),
        cmocka_unit_test(test_rerun),
        cmocka_unit_test(test_step),
        cmocka_unit_test(test_start_queue_full),
        cmocka_unit_test(test_backpressure_fanout),
        cmocka_unit_test(test_conformance_case_00),
        cmocka_unit_test(test_conformance_case_08),
        cmocka_unit_test(test_await_and_initial_order),
        cmocka_unit_test(test_await_timer_and_deadlock),
        cmocka_unit_test(test_suspensions_on_one_line),
    };
    return cmocka_run_group_tests_name("runtime scheduler", tests, NULL, NULL);
}
