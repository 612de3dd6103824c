/*
** test_rt_burst.c — the burst windows of AGDF_DRAIN_LOOP and AGDF__PUT_WIN
** (queued items and free slots reserved, both handed back at the end of a
** burst) must not change anything observable.  One pipeline, src -> mid (several
** tasks) -> sink, whose bodies suspend in the middle of invocations, yield twice
** and raise, runs three ways over a grid of queue sizes and task counts: the
** runtime's own loop with the general put (the reference), the same loop with
** window puts, and the generated-style drain loop with window puts.  Printed
** order, every statistic, the error count and the dropped items after a halt
** must be identical.  A body's agdf_start is refused in every mode.  A lost
** resume point is reported by the drain loop, and the task goes on.
*/
#include "test_rt_util.h"

typedef struct { agdf_task agdf; char agdf_in; int agdf_out; int i; } srctask;
typedef struct { agdf_task agdf; int agdf_in; int agdf_out; } itask;

#define N_ITEMS 60
static int raise_at;                   /* mid raises on this value (0: never) */
static int start_ret;                  /* what agdf_start returned inside a body */

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)

/* The bodies, in the generated form (task, window, item, resume point), once
** per put: PUT selects AGDF__PUT_ANY or AGDF__PUT_WIN. */
#define BODIES(sfx, PUT)                                                        \
static int src_##sfx(agdf_task *agdf_t, agdf_win *agdf_w, const void *agdf_item, \
                     int agdf_lc)                                               \
{                                                                               \
    srctask *self = (srctask *)(void *)agdf_t;                                  \
    (void)agdf_w;                                                               \
    (void)agdf_item;                                                            \
    AGDF__BEGIN_AT(agdf_lc);                                                    \
    for (self->i = 1; self->i <= N_ITEMS; self->i++) {                          \
        PUT(self->i);                                                           \
        if (self->i % 13 == 0)                                                  \
            AGDF_PASS();                                                        \
    }                                                                           \
    AGDF_END(self);                                                             \
}                                                                               \
static int mid_##sfx(agdf_task *agdf_t, agdf_win *agdf_w, const void *agdf_item, \
                     int agdf_lc)                                               \
{                                                                               \
    itask *self = (itask *)(void *)agdf_t;                                      \
    int v = *(const int *)agdf_item;                                            \
    (void)agdf_w;                                                               \
    AGDF__BEGIN_AT(agdf_lc);                                                    \
    if (v % 7 == 3)                                                             \
        AGDF_PASS();                   /* suspends mid-burst: the item is kept */ \
    if (v % 11 == 5) {                                                          \
        PUT(-v);                                                                \
        AGDF_PASS();                                                            \
    }                                                                           \
    say("mid%u: %d", (unsigned)self->agdf.index, v);                            \
    if (v == raise_at)                                                          \
        AGDF_RAISE("boom %d", v);                                               \
    PUT(v * 2);                                                                 \
    AGDF_END(self);                                                             \
}                                                                               \
static int sink_##sfx(agdf_task *agdf_t, agdf_win *agdf_w, const void *agdf_item, \
                      int agdf_lc)                                              \
{                                                                               \
    itask *self = (itask *)(void *)agdf_t;                                      \
    int v = *(const int *)agdf_item;                                            \
    (void)agdf_w;                                                               \
    AGDF__BEGIN_AT(agdf_lc);                                                    \
    if (v == 4)                                                                 \
        start_ret = agdf_start(&G, 0, NULL);                                    \
    if (v % 5 == 0)                                                             \
        AGDF_PASS();                                                            \
    say("sink: %d", v);                                                         \
    AGDF_END(self);                                                             \
}

#define PUT_WIN(item) AGDF__PUT_WIN(item, int)
BODIES(any, AGDF__PUT_ANY)
BODIES(win, PUT_WIN)
#undef AGDF_OUT_MAKE

/* The runtime's own loop calls body(t): the item is in agdf_in, lc in the task,
** and a window a body leaves is handed back when the call returns. */
#define PLAIN(name, T)                                                          \
    static int name##_plain(agdf_task *t)                                       \
    {                                                                           \
        agdf_win w = { NULL, 0 };                                               \
        int r = name(t, &w, &((T *)(void *)t)->agdf_in, t->lc);                 \
        if (w.n)                                                                \
            agdf__burst_end(t, AGDF_DONE, 0, w.n, __FILE__, __LINE__);                                            \
        return r;                                                               \
    }
PLAIN(src_any, srctask)
PLAIN(mid_any, itask)
PLAIN(sink_any, itask)
PLAIN(src_win, srctask)
PLAIN(mid_win, itask)
PLAIN(sink_win, itask)

/* The drain loops, written as agdfc writes them: the item in a local, kept
** in agdf_in across a suspension. */
static int src_drain(agdf_task *t)
{
    srctask *self = (srctask *)(void *)t;
    char v = self->agdf_in;
    AGDF_DRAIN_LOOP(t, src_win, v, self->agdf_in, 0)
}

static int mid_drain(agdf_task *t)
{
    itask *self = (itask *)(void *)t;
    int v = self->agdf_in;
    AGDF_DRAIN_LOOP(t, mid_win, v, self->agdf_in, sizeof v)
}

static int sink_drain(agdf_task *t)
{
    itask *self = (itask *)(void *)t;
    int v = self->agdf_in;
    AGDF_DRAIN_LOOP(t, sink_win, v, self->agdf_in, sizeof v)
}

enum { MODE_ANY, MODE_WIN, MODE_DRAIN };

static const uint32_t d_mid[] = {1}, d_sink[] = {2};
static agdf_node_def nodes[3];
static const agdf_graph_def graph = {"burst", 3, nodes, 0, 4};

/* Builds the pipeline for one mode and shape and runs it to the end. */
static agdf_status run_mode(int mode, uint32_t q_mid, uint32_t q_sink, uint32_t tasks, int halt)
{
    static const agdf_body_fn bodies[2][3] = {
        {src_any_plain, mid_any_plain, sink_any_plain},
        {src_win_plain, mid_win_plain, sink_win_plain}};
    static const agdf_body_fn runs[3] = {src_drain, mid_drain, sink_drain};
    const agdf_node_def proto[3] = {
        NODE("src", NULL, srctask, 1, 1, 0, -1, d_mid),
        NODE("mid", NULL, itask, 1, 1, sizeof(int), -1, d_sink),
        NODE0("sink", NULL, itask, 1, 1, sizeof(int), -1)};
    int i;

    for (i = 0; i < 3; i++) {
        nodes[i] = proto[i];
        nodes[i].body = mode == MODE_DRAIN ? NULL : bodies[mode][i];
        nodes[i].run = mode == MODE_DRAIN ? runs[i] : NULL;
    }
    nodes[1].queue_size = q_mid;
    nodes[1].ntasks = tasks;
    nodes[1].halt_on_exception = halt;
    nodes[2].queue_size = q_sink;
    tg_init(&graph);
    start_ret = 0;
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    return agdf_run(&G);
}

typedef struct {
    agdf_status st;
    char out[sizeof OUT];
    agdf_stats stats[3];
    uint32_t errors[3];
    int start_ret;
} outcome;

static void capture(outcome *o, agdf_status st)
{
    uint32_t i;

    o->st = st;
    memcpy(o->out, OUT, sizeof OUT);
    for (i = 0; i < 3; i++) {
        o->stats[i] = *agdf_node_stats(&G, i);
        o->errors[i] = agdf_error_count(&G, i);
    }
    o->start_ret = start_ret;
}

static void expect_same(const outcome *want, const outcome *got, const char *what)
{
    int i;

    if (strcmp(want->out, got->out) != 0)
        print_error("%s: output differs\n--- want\n%s--- got\n%s", what, want->out, got->out);
    assert_string_equal(want->out, got->out);
    assert_int_equal(want->st, got->st);
    for (i = 0; i < 3; i++) {
        assert_true(want->stats[i].in == got->stats[i].in);
        assert_true(want->stats[i].out == got->stats[i].out);
        assert_true(want->stats[i].err == got->stats[i].err);
        assert_true(want->stats[i].dropped == got->stats[i].dropped);
        assert_int_equal(want->errors[i], got->errors[i]);
    }
    assert_int_equal(got->start_ret, -1);
}

/* Every shape of the grid, with and without a (halting) raise. */
static void grid(int raise, int halt)
{
    static const uint32_t qs[] = {1, 2, 3, 16, 64};
    static const uint32_t ts[] = {1, 2, 3};
    static outcome ref, got;
    char what[96];
    size_t a, b, c;

    raise_at = raise;
    for (a = 0; a < sizeof qs / sizeof qs[0]; a++)
        for (b = 0; b < sizeof qs / sizeof qs[0]; b++)
            for (c = 0; c < sizeof ts / sizeof ts[0]; c++) {
                capture(&ref, run_mode(MODE_ANY, qs[a], qs[b], ts[c], halt));
                snprintf(what, sizeof what, "q_mid %u q_sink %u tasks %u window puts",
                         qs[a], qs[b], ts[c]);
                capture(&got, run_mode(MODE_WIN, qs[a], qs[b], ts[c], halt));
                expect_same(&ref, &got, what);
                snprintf(what, sizeof what, "q_mid %u q_sink %u tasks %u drain loop",
                         qs[a], qs[b], ts[c]);
                capture(&got, run_mode(MODE_DRAIN, qs[a], qs[b], ts[c], halt));
                expect_same(&ref, &got, what);
            }
}

static void test_windows_change_nothing(void **state)
{
    (void)state;
    grid(0, 0);
    assert_int_equal(agdf_node_stats(&G, 2)->in, N_ITEMS + 6);  /* 60 doubled, 6 negated */
}

/* 36 suspends nowhere before its raise, so the drain loop's window is open. */
static void test_windows_with_raise(void **state)
{
    (void)state;
    grid(36, 0);
    assert_int_equal(agdf_node_stats(&G, 1)->err, 1);
}

/* The halt comes while windows are open: dropped items must count what the
** burst had reserved but not used, exactly as without windows. */
static void test_windows_with_halt(void **state)
{
    (void)state;
    grid(36, 1);
    assert_int_equal(agdf_result(&G), AGDF_HALTED);
}

/* ---------------------------------------------------------------- lost resume point
** A generated body's unknown resume point is reported by its drain loop
** (AGDF__END_AT returns AGDF__LOST): raised, then the task takes its next item,
** or, when the raise halts, the rest is dropped. */

static int switchy(agdf_task *agdf_t, agdf_win *agdf_w, const void *agdf_item, int agdf_lc)
{
    itask *self = (itask *)(void *)agdf_t;
    int v = *(const int *)agdf_item;
    (void)agdf_w;
    AGDF__BEGIN_AT(agdf_lc);
    switch (v) {
    case 1:
        AGDF_PASS();            /* wrong: resume point inside the body's switch */
        say("unreachable");
        break;
    default:
        say("default %d", v);
        break;
    }
    AGDF__END_AT();
}

static int switchy_drain(agdf_task *t)
{
    itask *self = (itask *)(void *)t;
    int v = self->agdf_in;
    AGDF_DRAIN_LOOP(t, switchy, v, self->agdf_in, sizeof v)
}

static void run_switchy(int halt)
{
    static agdf_node_def sw[1];
    static const agdf_graph_def sw_graph = {"lost", 1, sw, 0, 3};
    const agdf_node_def proto = NODE0("switchy", NULL, itask, 1, 8, sizeof(int), -1);
    int v[] = {1, 2, 3};
    int i;

    sw[0] = proto;
    sw[0].run = switchy_drain;
    sw[0].halt_on_exception = halt;
    tg_init(&sw_graph);
    for (i = 0; i < 3; i++)
        assert_int_equal(agdf_start(&G, 0, &v[i]), 0);
    assert_int_equal(agdf_run(&G), halt ? AGDF_HALTED : AGDF_ERRORS);
    expect_stats(0, 0, 0, 1);
    assert_non_null(strstr(agdf_error_at(&G, 0, 0)->msg, "lost resume point"));
    assert_non_null(strstr(LOG, "ERROR:agdf: switchy: lost resume point "));
}

static void test_lost_resume_point(void **state)
{
    (void)state;
    run_switchy(0);
    assert_string_equal(OUT, "default 2\ndefault 3\n");
}

static void test_lost_resume_point_halts(void **state)
{
    (void)state;
    run_switchy(1);
    assert_string_equal(OUT, "");
    assert_int_equal(agdf_node_stats(&G, 0)->dropped, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows_change_nothing),
        cmocka_unit_test(test_windows_with_raise),
        cmocka_unit_test(test_windows_with_halt),
        cmocka_unit_test(test_lost_resume_point),
        cmocka_unit_test(test_lost_resume_point_halts),
    };
    return cmocka_run_group_tests_name("runtime burst windows", tests, NULL, NULL);
}
