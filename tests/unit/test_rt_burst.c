/*
** test_rt_burst.c — the burst windows of the drain loop (agdf__drain) and of
** AGDF__PUT (queued items and free slots reserved, both handed back at the end
** of a burst) must not change anything observable.  One pipeline, src -> mid
** (several tasks) -> sink, whose bodies suspend in the middle of invocations,
** yield twice and raise, runs four ways over a grid of queue sizes and task
** counts: item-by-item puts (agdf__yield_slow: no output window, the
** reference), AGDF__PUT_ANY (hand-written and C-file bodies) and AGDF__PUT as
** agdfc emits it (the item built in the reserved slot), also with the
** straight put into an empty destination (AGDF__ONE).  Printed order, every
** statistic, the error count and the dropped items after a halt must be
** identical.  A body's agdf_start is refused in every mode.  A lost resume
** point is reported by the drain loop, and the task goes on.  Then the item
** handed to a body in its queue slot: kept with its changes across a
** suspension, and a large item parked at a full queue arrives intact; a
** fan-out put parked at its middle destination finishes in edge order; the
** windows a fan-out put keeps in its destinations are handed back after
** every resumption, at a halt and at a drain stop after a parked put; and a
** chain of one-item queues wakes its tasks in the reference order.
*/
#include <stdlib.h>

#include "test_rt_util.h"

typedef struct { agdf_task agdf; char agdf_in; int agdf_out; int i; } srctask;
typedef struct { agdf_task agdf; int agdf_in; int agdf_out; } itask;

#define N_ITEMS 60
static int raise_at;                   /* mid raises on this value (0: never) */
static int start_ret;                  /* what agdf_start returned inside a body */
static uint64_t taken[3];              /* invocations started, per node */
static int stepwise;                   /* run_mode steps one resumption at a time */

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)

/* The bodies, in the generated form (task, agdf_io), once per put. */
#define BODIES(sfx, PUT)                                                        \
static int src_##sfx(agdf_task *agdf_t, agdf_io *agdf_o)                       \
{                                                                               \
    srctask *self = (srctask *)(void *)agdf_t;                                  \
    (void)agdf_o;                                                               \
    AGDF_BEGIN(self);                                                           \
    for (self->i = 1; self->i <= N_ITEMS; self->i++) {                          \
        PUT(self->i);                                                           \
        if (self->i % 13 == 0)                                                  \
            AGDF_PASS();                                                        \
    }                                                                           \
    AGDF_END(self);                                                             \
}                                                                               \
static int mid_##sfx(agdf_task *agdf_t, agdf_io *agdf_o)                       \
{                                                                               \
    itask *self = (itask *)(void *)agdf_t;                                      \
    int v = *(const int *)agdf_o->in;                                           \
    AGDF_BEGIN(self);                                                           \
    taken[1]++;                    /* an invocation starts */                \
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
static int sink_##sfx(agdf_task *agdf_t, agdf_io *agdf_o)                      \
{                                                                               \
    itask *self = (itask *)(void *)agdf_t;                                      \
    int v = *(const int *)agdf_o->in;                                           \
    AGDF_BEGIN(self);                                                           \
    taken[2]++;                    /* an invocation starts */                \
    if (v == 4)                                                                 \
        start_ret = agdf_start(&G, 0, NULL);                                    \
    if (v % 5 == 0)                                                             \
        AGDF_PASS();                                                            \
    say("sink: %d", v);                                                         \
    AGDF_END(self);                                                             \
}

/* The reference: every put item by item, never a window. */
#define PUT_ONE(item)                                                           \
    do {                                                                        \
        self->agdf_out = (item);                                                \
        if (agdf__yield_slow(&self->agdf)) {                                    \
            AGDF__PARK();                                                       \
        }                                                                       \
    } while (0)
#define PUT_GEN(item) AGDF__PUT(*agdf_o, agdf_o, item, int)
BODIES(one, PUT_ONE)
BODIES(any, AGDF__PUT_ANY)
BODIES(gen, PUT_GEN)
/* The same as agdfc emits it for a node whose one destination holds one
** item (AGDF__ONE): the straight put into an empty destination, which is
** right at any queue size, so the whole grid runs it. */
#undef AGDF__ONE
#define AGDF__ONE 1
BODIES(gen1, PUT_GEN)
#undef AGDF__ONE
#define AGDF__ONE 0
#undef AGDF_OUT_MAKE

enum { MODE_ONE, MODE_ANY, MODE_GEN, MODE_GEN1 };

static const uint32_t d_mid[] = {1}, d_sink[] = {2};
static agdf_node_def nodes[3];
static const agdf_graph_def graph = {"burst", 3, nodes, 0, 4};

/* Between two resumptions no window is held: every item counted into mid
** and sink is queued there, taken by an invocation, or owed by the parked
** put of the node upstream (one destination each). */
static void expect_handed_back(void)
{
    uint32_t i;

    for (i = 1; i < 3; i++) {
        const agdf_node *up = &G.nodes[i - 1];
        uint64_t owed = 0;
        uint32_t k;
        for (k = 0; k < up->def->ntasks; k++)
            owed += ((const agdf_task *)(const void *)(up->tasks + k * up->def->task_size))->putting;
        if (G.halted)
            return;
        assert_true(G.nodes[i].stats.in == G.nodes[i].count + taken[i] + owed);
        assert_true(up->stats.out == G.nodes[i].stats.in);
    }
}

/* Builds the pipeline for one mode and shape and runs it to the end. */
static agdf_status run_mode(int mode, uint32_t q_mid, uint32_t q_sink, uint32_t tasks, int halt)
{
    static const agdf_body_fn bodies[4][3] = {
        {src_one, mid_one, sink_one}, {src_any, mid_any, sink_any}, {src_gen, mid_gen, sink_gen},
        {src_gen1, mid_gen1, sink_gen1}};
    const agdf_node_def proto[3] = {
        NODE("src", NULL, srctask, 1, 1, 0, -1, d_mid),
        NODE("mid", NULL, itask, 1, 1, sizeof(int), -1, d_sink),
        NODE0("sink", NULL, itask, 1, 1, sizeof(int), -1)};
    int i;

    for (i = 0; i < 3; i++) {
        nodes[i] = proto[i];
        nodes[i].body = bodies[mode][i];
    }
    nodes[1].queue_size = q_mid;
    nodes[1].ntasks = tasks;
    nodes[1].halt_on_exception = halt;
    nodes[2].queue_size = q_sink;
    tg_init(&graph);
    start_ret = 0;
    memset(taken, 0, sizeof taken);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    if (!stepwise)
        return agdf_run(&G);
    while (agdf_step(&G, 1, NULL) != AGDF_STEP_DONE)
        expect_handed_back();
    return agdf_result(&G);
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
                capture(&ref, run_mode(MODE_ONE, qs[a], qs[b], ts[c], halt));
                snprintf(what, sizeof what, "q_mid %u q_sink %u tasks %u AGDF__PUT_ANY",
                         qs[a], qs[b], ts[c]);
                capture(&got, run_mode(MODE_ANY, qs[a], qs[b], ts[c], halt));
                expect_same(&ref, &got, what);
                snprintf(what, sizeof what, "q_mid %u q_sink %u tasks %u AGDF__PUT",
                         qs[a], qs[b], ts[c]);
                capture(&got, run_mode(MODE_GEN, qs[a], qs[b], ts[c], halt));
                expect_same(&ref, &got, what);
                snprintf(what, sizeof what, "q_mid %u q_sink %u tasks %u AGDF__PUT, AGDF__ONE",
                         qs[a], qs[b], ts[c]);
                capture(&got, run_mode(MODE_GEN1, qs[a], qs[b], ts[c], halt));
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

/* One resumption per agdf_step: whatever a burst reserved is handed back
** before the step returns (expect_handed_back after each), with the same
** outcome as a whole run. */
static void test_windows_handed_back_per_step(void **state)
{
    (void)state;
    stepwise = 1;
    grid(0, 0);
    grid(36, 1);
    stepwise = 0;
}

/* ---------------------------------------------------------------- the item in its slot
** The drain loop hands a body its item in the queue slot; a suspension copies
** it, with what the body changed, into agdf_in, where the body finds it when
** it resumes. */

static int inc_body(agdf_task *agdf_t, agdf_io *agdf_o)
{
    itask *self = (itask *)(void *)agdf_t;
    AGDF_BEGIN(self);
    *(int *)agdf_o->in += 100;         /* an in-place parameter assigned */
    AGDF_PASS();
    say("%d %s", *(const int *)agdf_o->in,
        agdf_o->in == (void *)&self->agdf_in ? "kept" : "slot");
    AGDF_END(self);
}

static void test_item_changed_survives_suspension(void **state)
{
    static agdf_node_def n1[1];
    static const agdf_graph_def g1 = {"inplace", 1, n1, 0, 1};
    const agdf_node_def proto = NODE0("inc", inc_body, itask, 1, 8, sizeof(int), -1);
    int v;

    (void)state;
    n1[0] = proto;
    tg_init(&g1);
    for (v = 1; v <= 3; v++)
        assert_int_equal(agdf_start(&G, 0, &v), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "101 kept\n102 kept\n103 kept\n");
}

/* A 1 KiB item built in the reserved slot or, at a full queue (every queue
** holds one item, the sink passes), parked in agdf_out: each arrives whole. */
typedef struct { unsigned char b[1024]; } big;
typedef struct { agdf_task agdf; char agdf_in; big agdf_out; int i; } bsrc;
typedef struct { agdf_task agdf; big agdf_in; big agdf_out; } bmid;
typedef struct { agdf_task agdf; big agdf_in; char agdf_out; } bsink;

static big mkbig(int seed)
{
    big x;
    int k;

    for (k = 0; k < (int)sizeof x.b; k++)
        x.b[k] = (unsigned char)(seed * 7 + k);
    return x;
}

static int bsrc_body(agdf_task *agdf_t, agdf_io *agdf_o)
{
    bsrc *self = (bsrc *)(void *)agdf_t;
    AGDF_BEGIN(self);
    for (self->i = 1; self->i <= 6; self->i++)
        AGDF__PUT(*agdf_o, agdf_o, mkbig(self->i), big);
    AGDF_END(self);
}

static int bmid_body(agdf_task *agdf_t, agdf_io *agdf_o)
{
    bmid *self = (bmid *)(void *)agdf_t;
    AGDF_BEGIN(self);
    AGDF__PUT(*agdf_o, agdf_o, *(const big *)agdf_o->in, big);
    AGDF__PUT(*agdf_o, agdf_o, *(const big *)agdf_o->in, big);   /* resumed: from agdf_in */
    AGDF_END(self);
}

static int bsink_body(agdf_task *agdf_t, agdf_io *agdf_o)
{
    bsink *self = (bsink *)(void *)agdf_t;
    const big *x = (const big *)agdf_o->in;
    big want = mkbig(x->b[0] / 7);
    AGDF_BEGIN(self);
    say("%d %s", x->b[0] / 7, memcmp(x, &want, sizeof want) == 0 ? "whole" : "torn");
    AGDF_PASS();
    AGDF_END(self);
}

static void test_big_item_parked_intact(void **state)
{
    static const uint32_t d1[] = {1}, d2[] = {2};
    static const agdf_node_def bn[3] = {
        NODE("bsrc", bsrc_body, bsrc, 1, 1, 0, -1, d1),
        NODE("bmid", bmid_body, bmid, 1, 1, sizeof(big), -1, d2),
        NODE0("bsink", bsink_body, bsink, 1, 1, sizeof(big), -1)};
    static const agdf_graph_def bg = {"big", 3, bn, 0, 1};

    (void)state;
    tg_init(&bg);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "1 whole\n1 whole\n2 whole\n2 whole\n3 whole\n3 whole\n"
                             "4 whole\n4 whole\n5 whole\n5 whole\n6 whole\n6 whole\n");
    expect_stats(1, 6, 12, 0);
    expect_stats(2, 12, 0, 0);
}

/* ---------------------------------------------------------------- fan-out parked midway
** src yields to three destinations in edge order; the middle one holds one
** item and its consumer passes after each, so src parks there with its item
** in agdf_out, the first destination served already, the last not yet: the
** scheduler finishes the put (b, then c) before src resumes. */

typedef struct { agdf_task agdf; char agdf_in; int agdf_out; int i; } fsrc;

static int fan_src(agdf_task *agdf_t, agdf_io *agdf_o)
{
    fsrc *self = (fsrc *)(void *)agdf_t;
    AGDF_BEGIN(self);
    for (self->i = 1; self->i <= 5; self->i++)
        AGDF__PUT(*agdf_o, agdf_o, self->i * 11, int);
    AGDF_END(self);
}

static int fan_sink(agdf_task *agdf_t, agdf_io *agdf_o)
{
    itask *self = (itask *)(void *)agdf_t;
    AGDF_BEGIN(self);
    say("%s %d", self->agdf.node->def->name, *(const int *)agdf_o->in);
    if (self->agdf.node->def->queue_size == 1)
        AGDF_PASS();
    AGDF_END(self);
}

static void test_fanout_parked_midway(void **state)
{
    static const uint32_t d3[] = {1, 2, 3};
    static const agdf_node_def fn[4] = {
        NODE("src", fan_src, fsrc, 1, 1, 0, -1, d3),
        NODE0("a", fan_sink, itask, 1, 8, sizeof(int), -1),
        NODE0("b", fan_sink, itask, 1, 1, sizeof(int), -1),
        NODE0("c", fan_sink, itask, 1, 8, sizeof(int), -1)};
    static const agdf_graph_def fg = {"fan", 4, fn, 0, 1};
    char want[256];
    size_t k = 0;
    int i;

    (void)state;
    tg_init(&fg);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    for (i = 1; i <= 5; i++)            /* each destination, every item, in order */
        k += (size_t)snprintf(want + k, sizeof want - k, "%d\n", i * 11);
    for (i = 1; i <= 3; i++) {
        char name[2] = {(char)('a' + i - 1), 0};
        char got[256];
        const char *p = OUT;
        size_t n = 0;
        while ((p = strstr(p, name)) != NULL) {
            if ((p == OUT || p[-1] == '\n') && p[1] == ' ')
                n += (size_t)snprintf(got + n, sizeof got - n, "%d\n", atoi(p + 2));
            p++;
        }
        assert_string_equal(got, want);
        expect_stats((uint32_t)i, 5, 0, 0);
    }
    expect_stats(0, 0, 5, 0);
    /* 22 parked at b: a has it, c gets it only after b made room */
    assert_non_null(strstr(OUT, "a 22\nb 11\nc 11\nb 22\nc 22\n"));
}

/* ---------------------------------------------------------------- fan-out windows
** A fan-out put keeps a window in each destination it finds with room and no
** consumer to wake (agdf__yield_slow): the slots after its own, reserved and
** counted at once.  After every resumption they are handed back: each
** destination's `in` is what is queued there, what its task took, and what
** a parked put still owes it (rule 5 counted it, from the parked cursor on). */

static int fw_raise_at;                /* fw_src raises after this put (0: never) */
static uint64_t fw_taken[4];           /* invocations started, per node */

static int fw_src(agdf_task *agdf_t, agdf_io *agdf_o)
{
    fsrc *self = (fsrc *)(void *)agdf_t;
    AGDF_BEGIN(self);
    for (self->i = 1; self->i <= 40; self->i++) {
        AGDF__PUT(*agdf_o, agdf_o, self->i, int);
        if (self->i == fw_raise_at)
            AGDF_RAISE("boom %d", self->i);
        if (self->i % 9 == 0)
            AGDF_PASS();
    }
    AGDF_END(self);
}

static int fw_sink(agdf_task *agdf_t, agdf_io *agdf_o)
{
    itask *self = (itask *)(void *)agdf_t;
    int v = *(const int *)agdf_o->in;
    AGDF_BEGIN(self);
    fw_taken[self->agdf.node - G.nodes]++;
    if ((uint32_t)v % 4 == self->agdf.node->def->queue_size % 4)
        AGDF_PASS();
    say("%s %d", self->agdf.node->def->name, v);
    AGDF_END(self);
}

static const uint32_t fw_dst[] = {1, 2, 3};
static agdf_node_def fw_nodes[4];
static const agdf_graph_def fw_graph = {"fanw", 4, fw_nodes, 0, 1};

static void fw_init(uint32_t qa, uint32_t qb, uint32_t qc, int halt)
{
    const agdf_node_def proto[4] = {
        NODE("src", fw_src, fsrc, 1, 1, 0, -1, fw_dst),
        NODE0("a", fw_sink, itask, 1, 1, sizeof(int), -1),
        NODE0("b", fw_sink, itask, 1, 1, sizeof(int), -1),
        NODE0("c", fw_sink, itask, 1, 1, sizeof(int), -1)};
    int i;

    for (i = 0; i < 4; i++)
        fw_nodes[i] = proto[i];
    fw_nodes[0].halt_on_exception = halt;
    fw_nodes[1].queue_size = qa;
    fw_nodes[2].queue_size = qb;
    fw_nodes[3].queue_size = qc;
    tg_init(&fw_graph);
    memset(fw_taken, 0, sizeof fw_taken);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
}

static void fw_expect_handed_back(void)
{
    const agdf_task *src = (const agdf_task *)(const void *)G.nodes[0].tasks;
    uint32_t i;

    assert_int_equal(G.io.nout, 0);    /* a shared window went back too */
    for (i = 1; i < 4; i++) {
        uint64_t owed = src->putting && src->cursor <= i - 1;
        assert_int_equal(G.nodes[i].wn, 0);
        assert_true(G.nodes[i].stats.in == G.nodes[i].count + fw_taken[i] + owed);
        assert_true(G.nodes[i].stats.in <= G.nodes[0].stats.out);
    }
}

/* Queue sizes 1, 2, 3, 16 in every position: one resumption per step, the
** invariant after each, every destination gets every item in order. */
static void test_fanout_windows_handed_back_per_step(void **state)
{
    static const uint32_t qs[] = {1, 2, 3, 16};
    size_t a, b, c;

    (void)state;
    fw_raise_at = 0;
    for (a = 0; a < 4; a++)
        for (b = 0; b < 4; b++)
            for (c = 0; c < 4; c++) {
                uint32_t i;
                fw_init(qs[a], qs[b], qs[c], -1);
                while (agdf_step(&G, 1, NULL) != AGDF_STEP_DONE)
                    fw_expect_handed_back();
                assert_int_equal(agdf_result(&G), AGDF_OK);
                for (i = 1; i < 4; i++) {
                    char name[2] = {(char)('a' + i - 1), 0}, got[512], want[512];
                    const char *p = OUT;
                    size_t n = 0, k = 0;
                    int v;
                    for (v = 1; v <= 40; v++)
                        k += (size_t)snprintf(want + k, sizeof want - k, "%d\n", v);
                    got[0] = '\0';
                    while ((p = strstr(p, name)) != NULL) {
                        if ((p == OUT || p[-1] == '\n') && p[1] == ' ')
                            n += (size_t)snprintf(got + n, sizeof got - n, "%d\n", atoi(p + 2));
                        p++;
                    }
                    assert_string_equal(got, want);
                    expect_stats(i, 40, 0, 0);
                }
                expect_stats(0, 0, 40, 0);
            }
}

/* A halting raise while src holds windows in all three destinations (queue
** size 16, nothing taken yet: src runs first): what they reserved and src
** did not use is not counted, so `in` and `dropped` are the 5 items put. */
static void test_fanout_windows_handed_back_at_halt(void **state)
{
    uint32_t i;

    (void)state;
    fw_raise_at = 5;
    fw_init(16, 16, 16, 1);
    assert_int_equal(agdf_run(&G), AGDF_HALTED);
    expect_stats(0, 0, 5, 1);
    for (i = 1; i < 4; i++) {
        expect_stats(i, 5, 0, 0);
        assert_true(agdf_node_stats(&G, i)->dropped == 5);
        assert_int_equal(G.nodes[i].wn, 0);
    }
    assert_string_equal(OUT, "");
    fw_raise_at = 0;
}

/* A drain stop while src is parked in a fan-out put: the scheduler finishes
** the put (keeping windows, shared by the burst that would follow), then
** src's invocation ends at once (a stopped source) and hands them back:
** every destination gets each item src yielded, once, and nothing else. */
static void test_fanout_windows_handed_back_at_stop(void **state)
{
    const agdf_task *src;
    uint64_t out;
    uint32_t i;
    int steps = 0;

    (void)state;
    fw_raise_at = 0;
    fw_init(16, 16, 16, -1);
    src = (const agdf_task *)(const void *)G.nodes[0].tasks;
    while (!src->putting && ++steps < 1000)
        assert_int_not_equal(agdf_step(&G, 1, NULL), AGDF_STEP_DONE);
    assert_true(src->putting);
    agdf_stop(&G, AGDF_STOP_DRAIN);
    while (agdf_step(&G, 1, NULL) != AGDF_STEP_DONE)
        fw_expect_handed_back();
    assert_int_equal(agdf_result(&G), AGDF_STOPPED);
    out = agdf_node_stats(&G, 0)->out;
    assert_true(out > 16 && out < 40);
    for (i = 1; i < 4; i++) {
        expect_stats(i, (uint32_t)out, 0, 0);
        assert_true(fw_taken[i] == out);
        assert_int_equal(G.nodes[i].count, 0);
    }
}

/* ---------------------------------------------------------------- queue size 1
** The order of wake-ups along a chain of one-item queues (rules 2 to 5), as
** the reference library orders them: src puts 1 and parks on 2 (m has not
** run); m takes 1 (waking src), puts it into sink and waits for its next;
** sink prints it and waits; src's parked put of 2 wakes m, src parks on 3;
** and so on.  The single-slot puts and the take that finds the queue empty
** right after the body are the paths checked. */

static int q1_src(agdf_task *agdf_t, agdf_io *agdf_o)
{
    fsrc *self = (fsrc *)(void *)agdf_t;
    AGDF_BEGIN(self);
    for (self->i = 1; self->i <= 3; self->i++) {
        say("src put %d", self->i);
        AGDF__PUT(*agdf_o, agdf_o, self->i, int);
    }
    say("src done");
    AGDF_END(self);
}

static int q1_mid(agdf_task *agdf_t, agdf_io *agdf_o)
{
    itask *self = (itask *)(void *)agdf_t;
    AGDF_BEGIN(self);
    self->agdf_out = *(const int *)agdf_o->in;
    say("m%u got %d", (unsigned)self->agdf.index, self->agdf_out);
    AGDF__PUT(*agdf_o, agdf_o, self->agdf_out * 10, int);
    say("m%u put %d", (unsigned)self->agdf.index, self->agdf_out);
    AGDF_END(self);
}

static int q1_sink(agdf_task *agdf_t, agdf_io *agdf_o)
{
    itask *self = (itask *)(void *)agdf_t;
    AGDF_BEGIN(self);
    say("sink %d", *(const int *)agdf_o->in);
    AGDF_END(self);
}

#define Q1_WANT                                                                 \
    "src put 1\nsrc put 2\nm0 got 1\nm0 put 10\nsink 10\nsrc put 3\nm0 got 2\n"      \
    "m0 put 20\nsrc done\nsink 20\nm0 got 3\nm0 put 30\nsink 30\n"
static void test_q1_chain_order(void **state)
{
    static const uint32_t to_m[] = {1}, to_sink[] = {2};
    static const agdf_node_def qn[3] = {
        NODE("src", q1_src, fsrc, 1, 1, 0, -1, to_m),
        NODE("m", q1_mid, itask, 1, 1, sizeof(int), -1, to_sink),
        NODE0("sink", q1_sink, itask, 1, 1, sizeof(int), -1)};
    static const agdf_graph_def qg = {"q1", 3, qn, 0, 1};

    (void)state;
    tg_init(&qg);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, Q1_WANT);
    expect_stats(1, 3, 3, 0);
    expect_stats(2, 3, 0, 0);
}

/* ---------------------------------------------------------------- the put's slot
** agdf__put_slot, asked by AGDF__PUT_SET when its window is used up, before
** the item is built: the window opens at this put's slot in the one
** destination (counted at once), or the item goes to agdf_out with io's
** window left empty: a full ring, a queue of one, several destinations, and
** a put that wakes a consumer while an input is open (the item's
** expressions could push and wake a task first: rule 4). */

static int never_body(agdf_task *agdf_t, agdf_io *agdf_o)
{
    (void)agdf_t;
    (void)agdf_o;
    return AGDF_DONE;
}

static agdf_task *task_of(uint32_t node)
{
    return (agdf_task *)(void *)G.nodes[node].tasks;
}

static void *out_of(uint32_t node)
{
    return (unsigned char *)task_of(node) + G.nodes[node].def->out_offset;
}

static void test_put_slot(void **state)
{
    static const uint32_t to_d[] = {1}, to_one[] = {2}, to_both[] = {1, 2};
    static const agdf_node_def pn[5] = {
        NODE("src", never_body, fsrc, 1, 1, 0, -1, to_d),
        NODE0("d", never_body, itask, 1, 4, sizeof(int), -1),
        NODE0("one", never_body, itask, 1, 1, sizeof(int), -1),
        NODE("to_one", never_body, fsrc, 1, 1, 0, -1, to_one),
        NODE("fan", never_body, fsrc, 1, 1, 0, -1, to_both)};
    static const agdf_graph_def pg = {"slot", 5, pn, 0, 1};
    agdf_node *d;
    agdf_task *dt;

    (void)state;
    tg_init(&pg);
    d = &G.nodes[1];
    dt = task_of(1);
    /* room, no consumer waiting: the whole ring from this put's slot */
    assert_ptr_equal(agdf__put_slot(task_of(0)), d->buf);
    assert_ptr_equal(G.io.out, d->buf);
    assert_int_equal(G.io.nout, 4);
    assert_int_equal(d->count, 4);
    expect_stats(0, 0, 4, 0);
    expect_stats(1, 4, 0, 0);
    /* full: agdf_out, io untouched */
    G.io.nout = 0;
    assert_ptr_equal(agdf__put_slot(task_of(0)), out_of(0));
    assert_int_equal(G.io.nout, 0);
    expect_stats(0, 0, 4, 0);
    /* a queue of one, several destinations: agdf_out */
    assert_ptr_equal(agdf__put_slot(task_of(3)), out_of(3));
    assert_ptr_equal(agdf__put_slot(task_of(4)), out_of(4));
    assert_int_equal(G.io.nout, 0);
    /* a consumer waiting while an input is open: agdf_out, nobody woken */
    d->count = 0;
    G.ready = G.ready_tail = NULL;
    G.nready = 0;
    d->takers = d->takers_tail = dt;
    dt->next = NULL;
    G.nopen = 1;
    assert_ptr_equal(agdf__put_slot(task_of(0)), out_of(0));
    assert_int_equal(G.io.nout, 0);
    assert_ptr_equal(d->takers, dt);
    assert_int_equal(G.nready, 0);
    /* ... no input open: it wakes the consumer and opens the window */
    G.nopen = 0;
    assert_ptr_equal(agdf__put_slot(task_of(0)), d->buf);
    assert_int_equal(G.io.nout, 4);
    assert_null(d->takers);
    assert_ptr_equal(G.ready, dt);
    expect_stats(1, 8, 0, 0);
}

/* ---------------------------------------------------------------- lost resume point
** A generated body's unknown resume point is reported by its drain loop
** (AGDF__END_AT returns AGDF__LOST): raised, then the task takes its next item,
** or, when the raise halts, the rest is dropped. */

static int switchy(agdf_task *agdf_t, agdf_io *agdf_o)
{
    itask *self = (itask *)(void *)agdf_t;
    int v = *(const int *)agdf_o->in;
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
    AGDF__END_AT();
}

static void run_switchy(int halt)
{
    static agdf_node_def sw[1];
    static const agdf_graph_def sw_graph = {"lost", 1, sw, 0, 3};
    const agdf_node_def proto = NODE0("switchy", switchy, itask, 1, 8, sizeof(int), -1);
    int v[] = {1, 2, 3};
    int i;

    sw[0] = proto;
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
        cmocka_unit_test(test_windows_handed_back_per_step),
        cmocka_unit_test(test_item_changed_survives_suspension),
        cmocka_unit_test(test_big_item_parked_intact),
        cmocka_unit_test(test_fanout_parked_midway),
        cmocka_unit_test(test_fanout_windows_handed_back_per_step),
        cmocka_unit_test(test_fanout_windows_handed_back_at_halt),
        cmocka_unit_test(test_fanout_windows_handed_back_at_stop),
        cmocka_unit_test(test_q1_chain_order),
        cmocka_unit_test(test_put_slot),
        cmocka_unit_test(test_lost_resume_point),
        cmocka_unit_test(test_lost_resume_point_halts),
    };
    return cmocka_run_group_tests_name("runtime burst windows", tests, NULL, NULL);
}
