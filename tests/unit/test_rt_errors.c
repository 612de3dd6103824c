/*
** test_rt_errors.c — AGDF_RAISE and halting: the linear graph where load
** passes then raises on items 3 and 5 (with halt at the node, at the graph, and
** without halt: figures, printed order, log lines, dropped items), start items
** that never run are counted as dropped, the graph's error pool keeps its most
** recent max_exceptions records (wrap-around, truncation with the full text
** logged, none kept, several nodes sharing it: the graph's oldest record goes,
** so each node keeps its latest), a suspension inside a body's own switch is
** reported as a "lost resume point" error, and a resume point encodes the line.
*/
#include "test_rt_util.h"

typedef struct { agdf_task agdf; char agdf_in; int agdf_out; int i; } srctask;
typedef struct { agdf_task agdf; int agdf_in; int agdf_out; } itask;
typedef struct { agdf_task agdf; int agdf_in; char agdf_out; } sinktask;

/* ---------------------------------------------------------------- halting */

static int raise_line;

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)
static int h_extract(agdf_task *t, agdf_io *io)
{
    srctask *self = (srctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 1; self->i <= 5; self->i++)
        AGDF_YIELD(self->i);
    AGDF_END(self);
}

static int h_transform(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    AGDF_YIELD(v);
    AGDF_END(self);
}

static int h_load(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("Load: %d", v);
    if (v == 3 || v == 5) {
        AGDF_PASS();
        raise_line = __LINE__ + 1;
        AGDF_RAISE("intentional error for %d", v);
    }
    AGDF_YIELD(v);
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

#define AGDF_OUT_MAKE() ((char)0)
static int h_output(agdf_task *t, agdf_io *io)
{
    sinktask *self = (sinktask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    say("output: %d", v);
    AGDF_YIELD();
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const uint32_t h_d0[] = {1}, h_d1[] = {2}, h_d2[] = {3};
#define H_NODES(load_halt)                                                   \
    NODE("extract", h_extract, srctask, 1, 1000, 0, -1, h_d0),               \
    NODE("transform", h_transform, itask, 1, 10000, sizeof(int), -1, h_d1),  \
    NODE("load", h_load, itask, 1, 10000, sizeof(int), load_halt, h_d2),     \
    NODE0("output", h_output, sinktask, 1, 10000, sizeof(int), -1)

static const agdf_node_def h_node_halt[] = {H_NODES(1)};
static const agdf_node_def h_unset[] = {H_NODES(-1)};
static const agdf_node_def h_node_off[] = {H_NODES(0)};
/* The same graph with generated-style drain loops (AGDF_DRAIN_LOOP), the path
** every agdfc program takes: a halt must stop it just the same. */
TG_DRAIN(h_extract_run, srctask, h_extract, 0)
TG_DRAIN(h_transform_run, itask, h_transform, sizeof(int))
TG_DRAIN(h_load_run, itask, h_load, sizeof(int))
TG_DRAIN(h_output_run, sinktask, h_output, sizeof(int))
static agdf_node_def h_drain[4];

static const agdf_graph_def h_at_node = {"halt_node", 4, h_node_halt, 0, 1000};
static const agdf_graph_def h_at_graph = {"halt_graph", 4, h_unset, 1, 1000};
static const agdf_graph_def h_override = {"halt_off", 4, h_node_off, 1, 1000};
static const agdf_graph_def h_none = {"no_halt", 4, h_unset, 0, 1000};

static void expect_halted(const agdf_graph_def *def)
{
    char want[512];

    tg_init(def);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_HALTED);
    assert_int_equal(agdf_result(&G), AGDF_HALTED);
    assert_string_equal(OUT, "Load: 1\nLoad: 2\nLoad: 3\noutput: 1\noutput: 2\n");
    expect_stats(0, 0, 5, 0);
    expect_stats(1, 5, 5, 0);
    expect_stats(2, 5, 2, 1);
    expect_stats(3, 2, 2, 0);
    assert_int_equal(agdf_node_stats(&G, 2)->dropped, 2);      /* items 4 and 5 */
    snprintf(want, sizeof want,
             "ERROR:agdf: load: intentional error for 3 (%s:%d)\n"
             "ERROR:agdf: Pipeline execution halted due to an exception in load node\n",
             __FILE__, raise_line);
    assert_string_equal(LOG, want);
    assert_int_equal(agdf_run(&G), AGDF_HALTED);               /* stays halted */
    assert_string_equal(OUT, "Load: 1\nLoad: 2\nLoad: 3\noutput: 1\noutput: 2\n");
}

/* A halt while a producer is parked in a yield: the item it owes was counted
** in each remaining destination's `in` (rule 5), so each counts it dropped.
** extract yields 1 into both queues of 1, parks on 2 at `first`, and `first`
** halts on item 1 before the put is done. */
static int h_first(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    AGDF_RAISE("halt on %d", v);
    AGDF_END(self);
}

static const uint32_t owed_d[] = {1, 2};
static const agdf_node_def owed_nodes[] = {
    NODE("extract", h_extract, srctask, 1, 1000, 0, -1, owed_d),
    NODE0("first", h_first, itask, 1, 1, sizeof(int), 1),
    NODE0("second", h_first, itask, 1, 1, sizeof(int), 0),
};
static const agdf_graph_def owed_graph = {"owed", 3, owed_nodes, 0, 1000};

static void test_halt_counts_owed_put(void **state)
{
    (void)state;
    tg_init(&owed_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_HALTED);
    expect_stats(0, 0, 2, 0);
    expect_stats(1, 2, 0, 1);
    expect_stats(2, 2, 0, 0);
    assert_int_equal(agdf_node_stats(&G, 1)->dropped, 1);      /* item 2, owed */
    assert_int_equal(agdf_node_stats(&G, 2)->dropped, 2);      /* item 1 queued, 2 owed */
}

static void test_halt_at_node(void **state)
{
    (void)state;
    expect_halted(&h_at_node);
}

static void test_halt_at_graph(void **state)
{
    (void)state;
    expect_halted(&h_at_graph);
}

static void expect_not_halted(const agdf_graph_def *def)
{
    const agdf_error *e;

    tg_init(def);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    assert_string_equal(OUT, "Load: 1\nLoad: 2\nLoad: 3\noutput: 1\noutput: 2\n"
                             "Load: 4\nLoad: 5\noutput: 4\n");
    expect_stats(0, 0, 5, 0);
    expect_stats(1, 5, 5, 0);
    expect_stats(2, 5, 3, 2);
    expect_stats(3, 3, 3, 0);
    assert_int_equal(agdf_node_stats(&G, 2)->dropped, 0);
    assert_int_equal(agdf_error_count(&G, 2), 2);
    assert_int_equal(agdf_error_count(&G, 1), 0);
    e = agdf_error_at(&G, 2, 1);
    assert_non_null(e);
    assert_string_equal(e->msg, "intentional error for 5");
    assert_string_equal(e->file, __FILE__);
    assert_int_equal(e->line, raise_line);
    assert_int_equal(e->task, 0);
    assert_null(agdf_error_at(&G, 2, 2));
}

static void test_halt_drain_loop(void **state)
{
    static const agdf_body_fn runs[4] = {h_extract_run, h_transform_run, h_load_run, h_output_run};
    agdf_graph_def def = {"halt_drain", 4, h_drain, 0, 1000};
    int i;

    (void)state;
    for (i = 0; i < 4; i++) {
        h_drain[i] = h_node_halt[i];
        h_drain[i].body = runs[i];
    }
    expect_halted(&def);
    for (i = 0; i < 4; i++)
        h_drain[i] = h_unset[i], h_drain[i].body = runs[i];
    expect_not_halted(&def);
}

static void test_no_halt(void **state)
{
    (void)state;
    expect_not_halted(&h_none);
    expect_not_halted(&h_override);     /* the node's false beats the graph's true */
}

/* ---------------------------------------------------------------- dropped start items */

static int d_raiser(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    AGDF_BEGIN(self);
    AGDF_RAISE("boom %d", IN(self));
    AGDF_END(self);
}

static int d_never(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    AGDF_BEGIN(self);
    say("never %d", IN(self));
    AGDF_END(self);
}

static const agdf_node_def d_nodes[] = {
    NODE0("raiser", d_raiser, itask, 1, 4, sizeof(int), 1),
    NODE0("never", d_never, itask, 2, 4, sizeof(int), -1),
};
static const agdf_graph_def d_graph = {"dropped", 2, d_nodes, 0, 4};

static void test_halt_counts_dropped_start_items(void **state)
{
    int v[] = {1, 2, 3};
    (void)state;
    tg_init(&d_graph);
    assert_int_equal(agdf_start(&G, 0, &v[0]), 0);
    assert_int_equal(agdf_start(&G, 0, &v[1]), 0);
    assert_int_equal(agdf_start(&G, 1, &v[0]), 0);
    assert_int_equal(agdf_start(&G, 1, &v[1]), 0);
    assert_int_equal(agdf_start(&G, 1, &v[2]), 0);
    assert_int_equal(agdf_run(&G), AGDF_HALTED);
    assert_string_equal(OUT, "");
    expect_stats(0, 0, 0, 1);
    assert_int_equal(agdf_node_stats(&G, 0)->dropped, 1);
    assert_int_equal(agdf_node_stats(&G, 1)->dropped, 3);
    assert_int_equal(agdf_start(&G, 1, &v[0]), -1);            /* finished */
}

/* ---------------------------------------------------------------- error ring */

static int r_raiser(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    if (v == 99)
        AGDF_RAISE("%0200d", 7);
    AGDF_RAISE("bad %d", v);
    AGDF_END(self);
}

static const agdf_node_def r_nodes[] = {
    NODE0("raiser", r_raiser, itask, 2, 8, sizeof(int), -1),
};
static const agdf_graph_def r_graph = {"ring", 1, r_nodes, 0, 3};
static const agdf_graph_def r_graph0 = {"ring0", 1, r_nodes, 0, 0};

static void test_error_ring_wraps(void **state)
{
    int v;
    (void)state;
    if (sizeof(void *) == 8)
        assert_int_equal(sizeof(agdf_error), 64);       /* docs/runtime.md's figure */
    tg_init(&r_graph);
    for (v = 0; v < 5; v++)
        assert_int_equal(agdf_start(&G, 0, &v), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    expect_stats(0, 0, 0, 5);
    assert_int_equal(agdf_error_count(&G, 0), 3);
    assert_string_equal(agdf_error_at(&G, 0, 0)->msg, "bad 2");
    assert_string_equal(agdf_error_at(&G, 0, 1)->msg, "bad 3");
    assert_string_equal(agdf_error_at(&G, 0, 2)->msg, "bad 4");
    assert_int_equal(agdf_error_at(&G, 0, 0)->task, 0);   /* task 0 drains its queue */
    assert_null(agdf_error_at(&G, 0, 3));

    tg_init(&r_graph);                                      /* re-init clears errors */
    assert_int_equal(agdf_error_count(&G, 0), 0);
    v = 99;
    assert_int_equal(agdf_start(&G, 0, &v), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    assert_int_equal(strlen(agdf_error_at(&G, 0, 0)->msg), AGDF_ERROR_MSG - 1);
    {                                       /* the log line has all 200 digits */
        char want[256];
        snprintf(want, sizeof want, "ERROR:agdf: raiser: %0200d (", 7);
        assert_non_null(strstr(LOG, want));
    }

    tg_init(&r_graph0);                                     /* none kept, still counted */
    for (v = 0; v < 2; v++)
        assert_int_equal(agdf_start(&G, 0, &v), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    expect_stats(0, 0, 0, 2);
    assert_int_equal(agdf_error_count(&G, 0), 0);
    assert_null(agdf_error_at(&G, 0, 0));
    assert_non_null(strstr(LOG, "ERROR:agdf: raiser: bad 1 ("));
}

/* Two nodes share a pool of 3: a's records go first as b's arrive, oldest
** first, and each node's records stay its most recent ones, in order. */
static const uint32_t s_to_b[] = {1};
static const agdf_node_def s_nodes[] = {
    NODE("a", r_raiser, itask, 1, 8, sizeof(int), -1, s_to_b),
    NODE0("b", r_raiser, itask, 1, 8, sizeof(int), -1),
};
static const agdf_graph_def s_graph = {"shared", 2, s_nodes, 0, 3};

static void test_error_pool_shared(void **state)
{
    int v;
    (void)state;
    tg_init(&s_graph);
    for (v = 1; v <= 2; v++)                /* a raises 1, 2; then b raises 10, 11 */
        assert_int_equal(agdf_start(&G, 0, &v), 0);
    for (v = 10; v <= 11; v++)
        assert_int_equal(agdf_start(&G, 1, &v), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    expect_stats(0, 0, 0, 2);
    expect_stats(1, 0, 0, 2);
    assert_int_equal(agdf_error_count(&G, 0), 1);           /* "bad 1" went */
    assert_int_equal(agdf_error_count(&G, 1), 2);
    assert_string_equal(agdf_error_at(&G, 0, 0)->msg, "bad 2");
    assert_int_equal(agdf_error_at(&G, 0, 0)->node, 0);
    assert_null(agdf_error_at(&G, 0, 1));
    assert_string_equal(agdf_error_at(&G, 1, 0)->msg, "bad 10");
    assert_string_equal(agdf_error_at(&G, 1, 1)->msg, "bad 11");
    assert_int_equal(agdf_error_at(&G, 1, 1)->node, 1);
    assert_null(agdf_error_at(&G, 2, 0));                   /* no such node */
}

/* ---------------------------------------------------------------- resume points */

static int lc_line;

static int lc_body(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    lc_line = __LINE__ + 1;
    AGDF_PASS(); AGDF_PASS();
    AGDF_END(self);
}

static const agdf_node_def lc_nodes[] = {
    NODE0("paused", lc_body, itask, 1, 1, sizeof(int), -1),
};
static const agdf_graph_def lc_graph = {"lines", 1, lc_nodes, 0, 1};

/* lc / 100 is the line of the suspension (gdb: p self->agdf.lc / 100), and two
** suspensions on one line get different resume points. */
static void test_resume_point_encodes_line(void **state)
{
    int v = 1, n = 0, lcs[2] = {0, 0};
    int64_t ms;
    const agdf_task *t = (const agdf_task *)(void *)tg_mem[0].tasks;
    (void)state;
    tg_init(&lc_graph);
    assert_int_equal(agdf_start(&G, 0, &v), 0);
    while (agdf_step(&G, 1, &ms) == AGDF_STEP_READY) {
        if (t->busy && n < 2 && (n == 0 || t->lc != lcs[n - 1]))
            lcs[n++] = t->lc;
    }
    assert_int_equal(agdf_result(&G), AGDF_OK);
    assert_int_equal(n, 2);
    assert_int_equal(lcs[0] / 100, lc_line);
    assert_int_equal(lcs[1] / 100, lc_line);
    assert_true(lcs[0] != lcs[1]);
}

/* ---------------------------------------------------------------- lost resume point */

static int l_switchy(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    switch (v) {
    case 1:
        AGDF_PASS();            /* wrong: resume point inside the body's switch */
        say("unreachable");
        break;
    default:
        say("default %d", v);
        break;
    }
    AGDF_END(self);
}

static const agdf_node_def l_nodes[] = {
    NODE0("switchy", l_switchy, itask, 1, 8, sizeof(int), -1),
};
static const agdf_graph_def l_graph = {"lost", 1, l_nodes, 0, 3};

static void test_lost_resume_point(void **state)
{
    int v[] = {1, 2};
    (void)state;
    tg_init(&l_graph);
    assert_int_equal(agdf_start(&G, 0, &v[0]), 0);
    assert_int_equal(agdf_start(&G, 0, &v[1]), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    assert_string_equal(OUT, "default 2\n");
    expect_stats(0, 0, 0, 1);
    assert_non_null(strstr(agdf_error_at(&G, 0, 0)->msg, "lost resume point"));
    assert_non_null(strstr(LOG, "ERROR:agdf: switchy: lost resume point "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_halt_at_node),
        cmocka_unit_test(test_halt_counts_owed_put),
        cmocka_unit_test(test_halt_at_graph),
        cmocka_unit_test(test_no_halt),
        cmocka_unit_test(test_halt_drain_loop),
        cmocka_unit_test(test_halt_counts_dropped_start_items),
        cmocka_unit_test(test_error_ring_wraps),
        cmocka_unit_test(test_error_pool_shared),
        cmocka_unit_test(test_resume_point_encodes_line),
        cmocka_unit_test(test_lost_resume_point),
    };
    return cmocka_run_group_tests_name("runtime errors", tests, NULL, NULL);
}
