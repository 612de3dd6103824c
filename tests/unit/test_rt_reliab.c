/*
** test_rt_reliab.c — the runtime refuses or reports what it cannot honour
** instead of hanging, wrapping or losing a task: sleeps too long for the clock
** (forever: the run lives on until a halt; no signed overflow, which UBSan would
** catch), negative and NaN sleeps, body return values that are no code (in the
** runtime's loop and in a drain loop), fd waits on invalid fds, the logging
** and offload-thread setters, the offload pool running one call per task at
** once, and a halt while an offloaded call never returns (the run returns, and
** the same graph can be initialised and run again).
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "test_rt_util.h"

typedef struct { agdf_task agdf; char agdf_in; char agdf_out; int i; } ctask;
typedef struct { agdf_task agdf; int agdf_in; char agdf_out; } itask;

#define AGDF_OUT_MAKE() ((char)0)

/* ---------------------------------------------------------------- sleeps */

static int far_body(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    AGDF_SLEEP(9000000000000.0);                 /* 285 years: the clock holds it */
    say("far woke at %lld", (long long)agdf_now_ms(&G));
    AGDF_SLEEP(9000000000000LL);                 /* past what it holds: forever */
    say("far woke again");
    AGDF_END(self);
}

static int halter_body(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    AGDF_SLEEP(9100000000000LL);
    AGDF_RAISE("stop");
    AGDF_END(self);
}

static int forever_body(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    AGDF_SLEEP(INT64_MAX);
    AGDF_SLEEP(UINT64_MAX);
    AGDF_SLEEP(HUGE_VAL);
    say("forever ended");
    AGDF_END(self);
}

static int short_halter_body(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    AGDF_SLEEP(20);
    AGDF_RAISE("stop");
    AGDF_END(self);
}

static const agdf_node_def far_nodes[] = {
    NODE0("far", far_body, ctask, 1, 1, 0, -1),
    NODE0("halter", halter_body, ctask, 1, 1, 0, -1),
};
static const agdf_graph_def far_graph = {"far", 2, far_nodes, 1, 4};

/* Virtual time: the clock reaches 9.1e12 ms exactly, never wraps, and the
** second sleep never ends. */
static void test_sleep_saturates_virtual(void **state)
{
    (void)state;
    tg_init(&far_graph);
    agdf_set_virtual_time(&G, 1);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 1, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_HALTED);
    assert_string_equal(OUT, "far woke at 9000000000000\n");
    assert_true(agdf_now_ms(&G) == 9100000000000LL);
}

static const agdf_node_def forever_nodes[] = {
    NODE0("forever", forever_body, ctask, 1, 1, 0, -1),
    NODE0("halter", short_halter_body, ctask, 1, 1, 0, -1),
};
static const agdf_graph_def forever_graph = {"forever", 2, forever_nodes, 1, 4};
static const agdf_graph_def forever_alone = {"forever", 1, forever_nodes, 1, 4};

/* A sleep forever keeps the run alive until the halt, in real and virtual time. */
static void test_sleep_forever_until_halt(void **state)
{
    int virt;

    (void)state;
    for (virt = 0; virt < 2; virt++) {
        tg_init(&forever_graph);
        agdf_set_virtual_time(&G, virt);
        assert_int_equal(agdf_start(&G, 0, NULL), 0);
        assert_int_equal(agdf_start(&G, 1, NULL), 0);
        assert_int_equal(agdf_run(&G), AGDF_HALTED);
        assert_string_equal(OUT, "");
        assert_int_equal(agdf_now_ms(&G) >= 20 && agdf_now_ms(&G) < 10000, 1);
    }
}

/* Alone, it leaves nothing to wait for but the end: agdf_step says WAIT with
** no deadline (-1), and virtual time does not jump to "forever". */
static void test_sleep_forever_step(void **state)
{
    int64_t ms = 0;
    int virt;

    (void)state;
    for (virt = 0; virt < 2; virt++) {
        tg_init(&forever_alone);
        agdf_set_virtual_time(&G, virt);
        assert_int_equal(agdf_start(&G, 0, NULL), 0);
        assert_int_equal(agdf_step(&G, 100, &ms), AGDF_STEP_WAIT);
        assert_true(ms == -1);
        assert_int_equal(agdf_step(&G, 100, &ms), AGDF_STEP_WAIT);
        assert_true(ms == -1);
        assert_string_equal(OUT, "");
    }
}

static int neg_body(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    AGDF_SLEEP(-5);
    AGDF_SLEEP(INT64_MIN);
    AGDF_SLEEP(NAN);
    say("done at %lld", (long long)agdf_now_ms(&G));
    AGDF_END(self);
}

static const agdf_node_def neg_nodes[] = { NODE0("neg", neg_body, ctask, 1, 1, 0, -1) };
static const agdf_graph_def neg_graph = {"neg", 1, neg_nodes, 0, 4};

static void test_sleep_negative_is_zero(void **state)
{
    (void)state;
    tg_init(&neg_graph);
    agdf_set_virtual_time(&G, 1);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "done at 0\n");
}

/* ---------------------------------------------------------------- return codes */

static int bad_ret_body(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    if (v == 2)
        return 1;                        /* what a C function returns for "failed" */
    if (v == 4)
        return -1;
    say("item %d", v);
    AGDF_END(self);
}

TG_DRAIN(bad_ret_drain, itask, bad_ret_body, sizeof(int))

static agdf_node_def bad_nodes[1];
static const agdf_graph_def bad_graph = {"bad", 1, bad_nodes, 0, 4};

static agdf_status run_bad(int drain, int halt)
{
    static const agdf_node_def proto = NODE0("bad", bad_ret_body, itask, 1, 8, sizeof(int), -1);
    int v;

    bad_nodes[0] = proto;
    bad_nodes[0].halt_on_exception = halt;
    if (drain) {
        bad_nodes[0].body = NULL;
        bad_nodes[0].body = bad_ret_drain;
    }
    tg_init(&bad_graph);
    for (v = 1; v <= 5; v++)
        assert_int_equal(agdf_start(&G, 0, &v), 0);
    return agdf_run(&G);
}

/* The unknown code is the node's error; the task takes the next item. */
static void test_bad_return_is_error(void **state)
{
    int drain;

    (void)state;
    for (drain = 0; drain < 2; drain++) {
        assert_int_equal(run_bad(drain, 0), AGDF_ERRORS);
        assert_string_equal(OUT, "item 1\nitem 3\nitem 5\n");
        expect_stats(0, 0, 0, 2);
        assert_non_null(strstr(LOG, "ERROR:agdf: bad: body returned 1 (AGDF_SUSPENDED) without suspending"));
        assert_non_null(strstr(LOG, "ERROR:agdf: bad: body returned -1, not AGDF_DONE"));
    }
}

static void test_bad_return_halts(void **state)
{
    int drain;

    (void)state;
    for (drain = 0; drain < 2; drain++) {
        assert_int_equal(run_bad(drain, 1), AGDF_HALTED);
        assert_string_equal(OUT, "item 1\n");
        expect_stats(0, 0, 0, 1);
        assert_int_equal(agdf_node_stats(&G, 0)->dropped, 3);
        assert_non_null(strstr(LOG, "halted due to an exception in bad node"));
    }
}

/* ---------------------------------------------------------------- invalid fds */

static int closed_fd = -1;

static int fd_body(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    if (v == 1)
        AGDF_WAIT_READABLE(-1);
    if (v == 2)
        AGDF_WAIT_WRITABLE(closed_fd);
    say("item %d", v);
    AGDF_END(self);
}

static agdf_node_def fd_nodes[1];
static const agdf_graph_def fd_graph = {"fds", 1, fd_nodes, 0, 4};

static agdf_status run_fds(int halt)
{
    static const agdf_node_def proto = NODE0("fds", fd_body, itask, 1, 8, sizeof(int), -1);
    int p[2], v;

    assert_int_equal(pipe(p), 0);
    close(p[0]);
    close(p[1]);
    closed_fd = p[1];                    /* a number that is not an open fd */
    fd_nodes[0] = proto;
    fd_nodes[0].halt_on_exception = halt;
    tg_init(&fd_graph);
    for (v = 1; v <= 3; v++)
        assert_int_equal(agdf_start(&G, 0, &v), 0);
    return agdf_run(&G);
}

static void test_wait_invalid_fd(void **state)
{
    (void)state;
    assert_int_equal(run_fds(0), AGDF_ERRORS);
    assert_string_equal(OUT, "item 3\n");
    expect_stats(0, 0, 0, 2);
    assert_non_null(strstr(LOG, "ERROR:agdf: fds: AGDF_WAIT_READABLE of an invalid fd (-1)"));
    assert_non_null(strstr(LOG, "ERROR:agdf: fds: AGDF_WAIT_WRITABLE of an fd that is not open"));
    assert_int_equal(run_fds(1), AGDF_HALTED);
    assert_string_equal(OUT, "");
    assert_int_equal(agdf_node_stats(&G, 0)->dropped, 2);
}

/* ---------------------------------------------------------------- setters */

static const agdf_node_def two_nodes[] = {
    NODE0("a", neg_body, ctask, 3, 1, 0, -1),
    NODE0("b", neg_body, ctask, 2, 1, 0, -1),
};
static const agdf_graph_def two_graph = {"two", 2, two_nodes, 0, 4};

static void test_logging_setter(void **state)
{
    static const char *const repeat[] = {"a", "a", "b", NULL};
    static const char *const unknown[] = {"a", "c", NULL};

    (void)state;
    tg_init(&two_graph);
    assert_int_equal(agdf_set_data_flow_logging(&G, UINT32_MAX, unknown, NULL), -1);
    assert_int_equal(agdf_set_data_flow_logging(&G, UINT32_MAX, repeat, NULL), 0);
    agdf_log_data_flow(&G);
    assert_string_equal(LOG, "INFO:agdf: a - in=0, out=0, err=0\n"
                             "INFO:agdf: b - in=0, out=0, err=0\n");
}

static void test_offload_threads_setter(void **state)
{
    (void)state;
    tg_init(&two_graph);
    assert_int_equal(agdf_offload_threads(&G), 5);   /* the storage tg_init gave */
    assert_int_equal(agdf_set_offload_threads(&G, 6), -1);
    assert_int_equal(agdf_offload_threads(&G), 5);
    assert_int_equal(agdf_set_offload_threads(&G, 0), 0);
    assert_int_equal(agdf_offload_threads(&G), 0);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_int_equal(agdf_set_offload_threads(&G, 1), -1);   /* the run is over */
}

/* ---------------------------------------------------------------- offload pool */

/* 8 calls that each wait (2 s at most) until all 8 are running. */
static pthread_mutex_t meet_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t meet_cv = PTHREAD_COND_INITIALIZER;
static int meet_n, meet_ok;

static void meet(void *arg)
{
    struct timespec until;

    (void)arg;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 2;
    pthread_mutex_lock(&meet_mu);
    meet_n++;
    pthread_cond_broadcast(&meet_cv);
    while (meet_n < 8 && pthread_cond_timedwait(&meet_cv, &meet_mu, &until) == 0)
        ;
    if (meet_n >= 8)
        meet_ok++;
    pthread_mutex_unlock(&meet_mu);
}

static int meet_body(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    AGDF_OFFLOAD(meet, NULL);
    AGDF_END(self);
}

static int spawn_body(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < 8; self->i++)
        AGDF_YIELD();
    AGDF_END(self);
}

static const uint32_t to_meet[] = {1};
static const agdf_node_def meet_nodes[] = {
    NODE("spawn", spawn_body, ctask, 1, 1, 0, -1, to_meet),
    NODE0("meet", meet_body, ctask, 8, 8, 0, -1),
};
static const agdf_graph_def meet_graph = {"meet", 2, meet_nodes, 0, 4};

static void test_offload_all_tasks_at_once(void **state)
{
    (void)state;
    meet_n = meet_ok = 0;
    tg_init(&meet_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_int_equal(meet_ok, 8);
}

/* With no thread, an offload is the node's error. */
static void test_offload_without_threads(void **state)
{
    (void)state;
    tg_init(&meet_graph);
    assert_int_equal(agdf_set_offload_threads(&G, 0), 0);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    expect_stats(1, 8, 0, 8);
    assert_non_null(strstr(LOG, "ERROR:agdf: meet: AGDF_OFFLOAD: the graph has no offload threads"));
}

/* A halt while a call blocks on a pipe nobody writes: the run returns, and
** the same storage runs again while that call is still blocked. */
static int stuck_fds[2];
static int stuck_state;                  /* under meet_mu: 1 call running, 2 returned */

static int stuck_running(void)
{
    int r;
    pthread_mutex_lock(&meet_mu);
    r = stuck_state == 1;
    pthread_mutex_unlock(&meet_mu);
    return r;
}

static void stuck(void *arg)
{
    char c;
    (void)arg;
    pthread_mutex_lock(&meet_mu);
    stuck_state = 1;
    pthread_mutex_unlock(&meet_mu);
    while (read(stuck_fds[0], &c, 1) < 0)
        ;
    pthread_mutex_lock(&meet_mu);
    stuck_state = 2;
    pthread_cond_broadcast(&meet_cv);
    pthread_mutex_unlock(&meet_mu);
}

static int stuck_body(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    AGDF_OFFLOAD(stuck, NULL);
    say("stuck returned");
    AGDF_END(self);
}

/* Halts once the call is surely running (not merely queued). */
static int stuck_halter_body(agdf_task *t, agdf_io *io)
{
    ctask *self = (ctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    while (!stuck_running())
        AGDF_SLEEP(5);
    AGDF_RAISE("stop");
    AGDF_END(self);
}

static const agdf_node_def stuck_nodes[] = {
    NODE0("stuck", stuck_body, ctask, 1, 1, 0, -1),
    NODE0("halter", stuck_halter_body, ctask, 1, 1, 0, -1),
};
static const agdf_graph_def stuck_graph = {"stuck", 2, stuck_nodes, 1, 4};

static void test_halt_abandons_blocked_call(void **state)
{
    (void)state;
    assert_int_equal(pipe(stuck_fds), 0);
    stuck_state = 0;
    tg_init(&stuck_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 1, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_HALTED);
    assert_string_equal(OUT, "");
    meet_n = meet_ok = 0;                /* the same storage, again */
    tg_init(&meet_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_int_equal(meet_ok, 8);
    assert_int_equal(write(stuck_fds[1], "x", 1), 1);   /* the abandoned call ends */
    pthread_mutex_lock(&meet_mu);
    while (stuck_state != 2)
        pthread_cond_wait(&meet_cv, &meet_mu);
    pthread_mutex_unlock(&meet_mu);
    nanosleep(&(struct timespec){0, 10000000}, NULL);  /* its worker exits */
    assert_string_equal(OUT, "");        /* ... and its task is never resumed */
    close(stuck_fds[0]);
    close(stuck_fds[1]);
}

#undef AGDF_OUT_MAKE

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sleep_saturates_virtual),
        cmocka_unit_test(test_sleep_forever_until_halt),
        cmocka_unit_test(test_sleep_forever_step),
        cmocka_unit_test(test_sleep_negative_is_zero),
        cmocka_unit_test(test_bad_return_is_error),
        cmocka_unit_test(test_bad_return_halts),
        cmocka_unit_test(test_wait_invalid_fd),
        cmocka_unit_test(test_logging_setter),
        cmocka_unit_test(test_offload_threads_setter),
        cmocka_unit_test(test_offload_all_tasks_at_once),
        cmocka_unit_test(test_offload_without_threads),
        cmocka_unit_test(test_halt_abandons_blocked_call),
    };
    return cmocka_run_group_tests_name("runtime reliability", tests, NULL, NULL);
}
