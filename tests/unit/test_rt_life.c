/*
** test_rt_life.c — the life-cycle API of runtime/agdf_life.c on hand-written
** graphs: agdf_push's return codes (0, AGDF_FULL, AGDF_CLOSED, -1), agdf_room,
** the room hook (once, between batches, after a take from a queue the host
** found full), an open input keeping a run idle (AGDF_STEP_IDLE, AGDF_IDLE)
** until agdf_close, an AGDF_AWAIT not declared unsatisfiable while an input is
** open, and agdf_stop: drain (STOPPED, pushed items processed, none dropped) and
** abort (queued items dropped).  The generated-code side (on_close, the
** drain loop's agdf__take_one, SIGTERM) is tested by tests/lifecycle.
*/
#include "test_rt_util.h"

typedef struct {
    agdf_task agdf;
    int agdf_in;
    int agdf_out;
} itask;

typedef struct {
    agdf_task agdf;
    int agdf_in;
    char agdf_out;
} isink;

static int flag;                    /* set by in, awaited by sink */

#define AGDF_OUT_MAKE(v) (v)
static int in_body(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    flag = 1;                       /* what the sink's AGDF_AWAIT waits for */
    AGDF_YIELD(v * 10);
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

#define AGDF_OUT_MAKE() ((char)0)
static int sink_body(agdf_task *t, agdf_io *io)
{
    isink *self = (isink *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    if (v < 0) {
        AGDF_AWAIT(flag);           /* the input's body sets it */
        say("awaited");
    }
    say("sink %d", v);
    AGDF_YIELD();
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const uint32_t to_sink[] = {1};
static const agdf_node_def life_nodes[] = {
    NODE("in", in_body, itask, 1, 2, sizeof(int), -1, to_sink),
    NODE0("sink", sink_body, isink, 1, 8, sizeof(int), -1),
};
static const agdf_graph_def life_graph = {"life", 2, life_nodes, 0, 10};

static void life_init(void)
{
    tg_init(&life_graph);
    agdf_input(&G, 0, NULL);
    flag = 0;
}

static int step_until_not_ready(int64_t *ms)
{
    int r;
    while ((r = agdf_step(&G, 8, ms)) == AGDF_STEP_READY)
        ;
    return r;
}

static void test_push_codes(void **state)
{
    int v = 1;
    (void)state;
    life_init();
    assert_int_equal(agdf_push(&G, 1, &v), -1);      /* not an input */
    assert_int_equal(agdf_push(&G, 7, &v), -1);      /* no such node */
    assert_int_equal(agdf_push(&G, 0, NULL), -1);    /* items carry an int */
    assert_int_equal(agdf_room(&G, 0), 2);
    assert_int_equal(agdf_push(&G, 0, &v), 0);
    assert_int_equal(agdf_push(&G, 0, &v), 0);
    assert_int_equal(agdf_room(&G, 0), 0);
    assert_int_equal(agdf_push(&G, 0, &v), AGDF_FULL);
    assert_int_equal(agdf_started(&G), 0);           /* pushes are not start items */
    assert_int_equal(agdf_close(&G, 1), -1);
    assert_int_equal(agdf_close(&G, 0), 0);
    assert_int_equal(agdf_close(&G, 0), 0);          /* closing twice is harmless */
    assert_int_equal(agdf_push(&G, 0, &v), AGDF_CLOSED);
    assert_int_equal(agdf_room(&G, 0), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "sink 10\nsink 10\n");
    expect_stats(1, 2, 2, 0);
}

static int rooms;
static void on_room(void *ud, uint32_t node)
{
    int v = 2;
    (void)ud;
    assert_int_equal(node, 0);
    rooms++;
    assert_int_equal(agdf_push(&G, 0, &v), 0);      /* the hook may push */
}

static void test_idle_room_close(void **state)
{
    int64_t ms = 0;
    int v = 1;
    (void)state;
    life_init();
    rooms = 0;
    agdf_set_room_hook(&G, on_room, NULL);
    assert_int_equal(step_until_not_ready(&ms), AGDF_STEP_IDLE);
    assert_int_equal(ms, -1);
    assert_int_equal(agdf_run(&G), AGDF_IDLE);       /* alive, waiting for its host */
    assert_int_equal(agdf_push(&G, 0, &v), 0);
    assert_int_equal(agdf_push(&G, 0, &v), 0);
    assert_int_equal(agdf_push(&G, 0, &v), AGDF_FULL);
    assert_int_equal(step_until_not_ready(&ms), AGDF_STEP_IDLE);
    assert_int_equal(rooms, 1);                      /* once, after the first take */
    assert_string_equal(OUT, "sink 10\nsink 10\nsink 20\n");
    assert_int_equal(agdf_close(&G, 0), 0);
    assert_int_equal(step_until_not_ready(&ms), AGDF_STEP_DONE);
    assert_int_equal(agdf_result(&G), AGDF_OK);
    assert_int_equal(rooms, 1);
}

static void test_await_while_open(void **state)
{
    int64_t ms = 0;
    int v = -1;
    (void)state;
    life_init();
    assert_int_equal(agdf_start(&G, 1, &v), 0);      /* the sink awaits flag */
    assert_int_equal(step_until_not_ready(&ms), AGDF_STEP_IDLE);
    assert_string_equal(LOG, "");                    /* not declared unsatisfiable */
    v = 1;
    assert_int_equal(agdf_push(&G, 0, &v), 0);       /* the input's body sets flag */
    agdf_close_inputs(&G);
    assert_int_equal(step_until_not_ready(&ms), AGDF_STEP_DONE);
    assert_int_equal(agdf_result(&G), AGDF_OK);
    assert_string_equal(OUT, "awaited\nsink -1\nsink 10\n");
}

static void test_stop_drain_and_abort(void **state)
{
    int64_t ms = 0;
    int v = 1;
    (void)state;
    life_init();
    assert_int_equal(agdf_push(&G, 0, &v), 0);
    assert_int_equal(agdf_push(&G, 0, &v), 0);
    agdf_stop(&G, AGDF_STOP_DRAIN);                  /* before any step */
    assert_int_equal(step_until_not_ready(&ms), AGDF_STEP_DONE);
    assert_int_equal(agdf_result(&G), AGDF_STOPPED);
    assert_int_equal(agdf_push(&G, 0, &v), AGDF_CLOSED);
    /* Pushed items were accepted (0): a drain processes them, drops none. */
    assert_string_equal(OUT, "sink 10\nsink 10\n");
    assert_int_equal(agdf_node_stats(&G, 0)->dropped, 0);
    assert_int_equal(agdf_node_stats(&G, 0)->out, 2);
    assert_int_equal(agdf_node_stats(&G, 1)->dropped, 0);

    life_init();
    assert_int_equal(agdf_push(&G, 0, &v), 0);
    assert_int_equal(agdf_start(&G, 1, &v), 0);
    agdf_stop(&G, AGDF_STOP_ABORT);
    agdf_stop(&G, AGDF_STOP_DRAIN);                  /* weaker: ignored */
    assert_int_equal(agdf_run(&G), AGDF_STOPPED);
    assert_string_equal(OUT, "");                    /* nothing ran */
    assert_int_equal(agdf_node_stats(&G, 0)->dropped, 1);
    assert_int_equal(agdf_node_stats(&G, 1)->dropped, 1);
}

/* Hostile calls: a second close, stops repeated (and after the end), and a
** drain of a plain source (no agdf_input) before it began: its start items
** are the items a drain counts as dropped. */
static void test_stop_repeated_and_source_drain(void **state)
{
    int64_t ms = 0;
    int v = 1;
    (void)state;
    life_init();
    assert_int_equal(agdf_close(&G, 0), 0);
    assert_int_equal(agdf_close(&G, 0), 0);          /* twice: still 0 */
    assert_int_equal(agdf_close(&G, 1), -1);         /* not an input */
    assert_int_equal(agdf_push(&G, 0, &v), AGDF_CLOSED);
    agdf_stop(&G, AGDF_STOP_DRAIN);
    agdf_stop(&G, AGDF_STOP_DRAIN);
    agdf_stop(&G, 7);                                /* not a mode: ignored */
    assert_int_equal(agdf_run(&G), AGDF_STOPPED);
    agdf_stop(&G, AGDF_STOP_ABORT);                  /* after the end: harmless */
    assert_int_equal(agdf_run(&G), AGDF_STOPPED);

    tg_init(&life_graph);                            /* node 0: a plain source */
    flag = 0;
    assert_int_equal(agdf_start(&G, 0, &v), 0);
    v = 2;
    assert_int_equal(agdf_start(&G, 0, &v), 0);
    agdf_stop(&G, AGDF_STOP_DRAIN);                  /* before the source began */
    assert_int_equal(step_until_not_ready(&ms), AGDF_STEP_DONE);
    assert_int_equal(agdf_result(&G), AGDF_STOPPED);
    assert_string_equal(OUT, "");
    assert_int_equal(agdf_node_stats(&G, 0)->dropped, 2);
    assert_int_equal(agdf_node_stats(&G, 1)->dropped, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_codes),
        cmocka_unit_test(test_idle_room_close),
        cmocka_unit_test(test_await_while_open),
        cmocka_unit_test(test_stop_drain_and_abort),
        cmocka_unit_test(test_stop_repeated_and_source_drain),
    };
    return cmocka_run_group_tests_name("runtime life cycle", tests, NULL, NULL);
}
