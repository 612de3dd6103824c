/*
** test_rt_time.c — time, fds and threads: max_tasks 5 against 1 with 2 s sleeps
** (virtual clock: 2 s against 10 s), equal deadlines firing in the order they
** were set, periodic data-flow logging (interval, node filter, format), waiting
** on a pipe (real time), the offload pool letting other tasks run meanwhile
** (real time, short sleeps), and agdf_step reporting the next deadline.
*/
#define _POSIX_C_SOURCE 200809L
#include <time.h>
#include <unistd.h>

#include "test_rt_util.h"

typedef struct { agdf_task agdf; char agdf_in; int agdf_out; int i; } srctask;
typedef struct { agdf_task agdf; int agdf_in; char agdf_out; } sinktask;
typedef struct { agdf_task agdf; int agdf_in; int agdf_out; } itask;

static double real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---------------------------------------------------------------- concurrent tasks */

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)
static int ct_node1(agdf_task *t, agdf_io *io)
{
    srctask *self = (srctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < 5; self->i++)
        AGDF_YIELD(self->i);
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

#define AGDF_OUT_MAKE() ((char)0)
static int ct_node2(agdf_task *t, agdf_io *io)
{
    sinktask *self = (sinktask *)(void *)t;
    int i = IN(self);
    AGDF_BEGIN(self);
    AGDF_SLEEP(2000);
    say("node2 received %d at %lld", i, (long long)agdf_now_ms(&G));
    AGDF_YIELD();
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const uint32_t ct_to2[] = {1};
static const agdf_node_def ct1_nodes[] = {
    NODE("node1", ct_node1, srctask, 1, 10000, 0, -1, ct_to2),
    NODE0("node2", ct_node2, sinktask, 1, 10000, sizeof(int), -1),
};
static const agdf_node_def ct5_nodes[] = {
    NODE("node1", ct_node1, srctask, 1, 10000, 0, -1, ct_to2),
    NODE0("node2", ct_node2, sinktask, 5, 10000, sizeof(int), -1),
};
static const agdf_graph_def ct1_graph = {"tasks1", 2, ct1_nodes, 0, 100};
static const agdf_graph_def ct5_graph = {"tasks5", 2, ct5_nodes, 0, 100};

static void test_max_tasks_1_vs_5(void **state)
{
    double t0 = real_ms();
    (void)state;
    tg_init(&ct1_graph);
    agdf_set_virtual_time(&G, 1);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_int_equal(agdf_now_ms(&G), 10000);
    assert_string_equal(OUT, "node2 received 0 at 2000\nnode2 received 1 at 4000\n"
                             "node2 received 2 at 6000\nnode2 received 3 at 8000\n"
                             "node2 received 4 at 10000\n");
    tg_init(&ct5_graph);
    agdf_set_virtual_time(&G, 1);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_int_equal(agdf_now_ms(&G), 2000);
    assert_string_equal(OUT, "node2 received 0 at 2000\nnode2 received 1 at 2000\n"
                             "node2 received 2 at 2000\nnode2 received 3 at 2000\n"
                             "node2 received 4 at 2000\n");
    expect_stats(1, 5, 5, 0);
    assert_true(real_ms() - t0 < 1000);           /* virtual: no real sleeping */
}

/* ---------------------------------------------------------------- deadlines */

#define AGDF_OUT_MAKE() ((char)0)
static int dl_sleeper(agdf_task *t, agdf_io *io)
{
    sinktask *self = (sinktask *)(void *)t;
    int ms = IN(self);
    AGDF_BEGIN(self);
    AGDF_SLEEP(ms);
    say("%d by task %u at %lld", ms, self->agdf.index, (long long)agdf_now_ms(&G));
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const agdf_node_def dl_nodes[] = {
    NODE0("sleeper", dl_sleeper, sinktask, 6, 10, sizeof(int), -1),
};
static const agdf_graph_def dl_graph = {"deadlines", 1, dl_nodes, 0, 10};

static void test_equal_deadlines_fifo(void **state)
{
    static const int ms[] = {30, 10, 20, 10, 0, 10};
    size_t i;
    (void)state;
    tg_init(&dl_graph);
    agdf_set_virtual_time(&G, 1);
    for (i = 0; i < 6; i++)
        assert_int_equal(agdf_start(&G, 0, &ms[i]), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    /* task 0 takes 30 and sleeps; task 1 takes 10, ... a sleep of 0 is a pass */
    assert_string_equal(OUT, "0 by task 4 at 0\n10 by task 1 at 10\n10 by task 3 at 10\n"
                             "10 by task 5 at 10\n20 by task 2 at 20\n30 by task 0 at 30\n");
}

/* ---------------------------------------------------------------- data-flow logging */

typedef struct { agdf_task agdf; char agdf_in; int agdf_out; int i; } extask;

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)
static int lg_extract(agdf_task *t, agdf_io *io)
{
    extask *self = (extask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < 3; self->i++) {
        AGDF_SLEEP(3000);
        AGDF_YIELD(self->i);
    }
    AGDF_END(self);
}

static int lg_transform(agdf_task *t, agdf_io *io)
{
    itask *self = (itask *)(void *)t;
    int v = IN(self);
    AGDF_BEGIN(self);
    AGDF_YIELD(v * 10);
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE
#define AGDF_OUT_MAKE() ((char)0)
static int lg_load(agdf_task *t, agdf_io *io)
{
    sinktask *self = (sinktask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    AGDF_YIELD();
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const uint32_t lg_d0[] = {1}, lg_d1[] = {2};
static const agdf_node_def lg_nodes[] = {
    NODE("extract", lg_extract, extask, 1, 1000, 0, -1, lg_d0),
    NODE("transform", lg_transform, itask, 1, 10000, sizeof(int), -1, lg_d1),
    NODE0("load", lg_load, sinktask, 1, 10000, sizeof(int), -1),
};
static const agdf_graph_def lg_graph = {"logging", 3, lg_nodes, 0, 10};

static void test_data_flow_logging(void **state)
{
    static const char *const filter[] = {"transform", "load", NULL};
    (void)state;
    tg_init(&lg_graph);
    agdf_set_virtual_time(&G, 1);
    agdf_set_data_flow_logging(&G, 3000, filter, NULL);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    /* every 3 s while the graph runs (ties: the nodes first); not after its end */
    assert_string_equal(LOG, "INFO:agdf: transform - in=1, out=1, err=0\n"
                             "INFO:agdf: load - in=1, out=1, err=0\n"
                             "INFO:agdf: transform - in=2, out=2, err=0\n"
                             "INFO:agdf: load - in=2, out=2, err=0\n");
    log_n = 0;
    agdf_log_stats(&G);                          /* the final report: every node */
    assert_string_equal(LOG, "INFO:agdf: extract - in=0, out=3, err=0\n"
                             "INFO:agdf: transform - in=3, out=3, err=0\n"
                             "INFO:agdf: load - in=3, out=3, err=0\n");
    log_n = 0;
    agdf_log_data_flow(&G);                      /* the filtered final report */
    assert_string_equal(LOG, "INFO:agdf: transform - in=3, out=3, err=0\n"
                             "INFO:agdf: load - in=3, out=3, err=0\n");

    /* interval 2 s, every node, a custom format */
    tg_init(&lg_graph);
    agdf_set_virtual_time(&G, 1);
    agdf_set_data_flow_logging(&G, 2000, NULL, "{node}:{in}/{out}/{err}/{dropped} {x}");
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(LOG, "extract:0/0/0/0 {x}\ntransform:0/0/0/0 {x}\nload:0/0/0/0 {x}\n"
                             "extract:0/1/0/0 {x}\ntransform:1/1/0/0 {x}\nload:1/1/0/0 {x}\n"
                             "extract:0/2/0/0 {x}\ntransform:2/2/0/0 {x}\nload:2/2/0/0 {x}\n"
                             "extract:0/2/0/0 {x}\ntransform:2/2/0/0 {x}\nload:2/2/0/0 {x}\n");
}

/* ---------------------------------------------------------------- fds */

static int pipefd[2];

#define AGDF_OUT_MAKE() ((char)0)
static int fd_reader(agdf_task *t, agdf_io *io)
{
    srctask *self = (srctask *)(void *)t;
    (void)io;
    char c;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < 3; self->i++) {
        AGDF_WAIT_READABLE(pipefd[0]);
        assert_int_equal(read(pipefd[0], &c, 1), 1);
        say("read %c", c);
    }
    AGDF_END(self);
}

static int fd_writer(agdf_task *t, agdf_io *io)
{
    srctask *self = (srctask *)(void *)t;
    (void)io;
    char c;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < 3; self->i++) {
        AGDF_SLEEP(15);
        AGDF_WAIT_WRITABLE(pipefd[1]);
        c = (char)('a' + self->i);
        assert_int_equal(write(pipefd[1], &c, 1), 1);
        say("wrote %c", c);
    }
    AGDF_END(self);
}

static int fd_ticker(agdf_task *t, agdf_io *io)
{
    srctask *self = (srctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < 2000; self->i++)
        AGDF_PASS();                              /* busy, never idle */
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const agdf_node_def fd_nodes[] = {
    NODE0("reader", fd_reader, srctask, 1, 1, 0, -1),
    NODE0("writer", fd_writer, srctask, 1, 1, 0, -1),
};
static const agdf_graph_def fd_graph = {"fds", 2, fd_nodes, 0, 10};

static void test_fd_wait_pipe(void **state)
{
    (void)state;
    assert_int_equal(pipe(pipefd), 0);
    tg_init(&fd_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 1, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "wrote a\nread a\nwrote b\nread b\nwrote c\nread c\n");
    assert_true(agdf_now_ms(&G) >= 45);
    close(pipefd[0]);
    close(pipefd[1]);
}

/* fds are polled between batches too: a busy task does not starve the reader */
static const agdf_node_def fd2_nodes[] = {
    NODE0("reader", fd_reader, srctask, 1, 1, 0, -1),
    NODE0("ticker", fd_ticker, srctask, 1, 1, 0, -1),
};
static const agdf_graph_def fd2_graph = {"fds2", 2, fd2_nodes, 0, 10};

static void test_fd_not_starved(void **state)
{
    (void)state;
    assert_int_equal(pipe(pipefd), 0);
    assert_int_equal(write(pipefd[1], "xyz", 3), 3);
    tg_init(&fd2_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 1, NULL), 0);
    for (int k = 0; k < 20; k++)
        assert_int_equal(agdf_step(&G, 1, NULL), AGDF_STEP_READY);
    assert_string_equal(OUT, "read x\nread y\nread z\n");
    assert_int_equal(agdf_run(&G), AGDF_OK);
    close(pipefd[0]);
    close(pipefd[1]);
}

/* ---------------------------------------------------------------- offload */

static void block_ms(void *arg)
{
    struct timespec ts;
    long ms = *(const long *)arg;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

static long block60 = 60;

#define AGDF_OUT_MAKE() ((char)0)
static int of_blocking(agdf_task *t, agdf_io *io)
{
    srctask *self = (srctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < 2; self->i++) {
        AGDF_OFFLOAD(block_ms, &block60);
        say("blocking %d", self->i);
    }
    AGDF_END(self);
}

static int of_sleeper(agdf_task *t, agdf_io *io)
{
    srctask *self = (srctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 0; self->i < 4; self->i++) {
        AGDF_SLEEP(10);
        say("sleeper %d", self->i);
    }
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const agdf_node_def of_nodes[] = {
    NODE0("blocking", of_blocking, srctask, 2, 4, 0, -1),
    NODE0("sleeper", of_sleeper, srctask, 1, 1, 0, -1),
};
static const agdf_graph_def of_graph = {"offload", 2, of_nodes, 0, 10};

static void test_offload_interleaving(void **state)
{
    double t0, dt;
    (void)state;
    tg_init(&of_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_start(&G, 1, NULL), 0);
    t0 = real_ms();
    assert_int_equal(agdf_run(&G), AGDF_OK);
    dt = real_ms() - t0;
    /* the sleeper's four 10 ms sleeps all end while the first calls block */
    assert_non_null(strstr(OUT, "sleeper 3\nblocking 0\n"));
    assert_non_null(strstr(OUT, "blocking 1\nblocking 1\n"));
    /* two tasks, two calls each on the pool in parallel: ~120 ms, not 240 */
    assert_true(dt >= 115);
    assert_true(dt < 230);
    /* the pool is joined at the end and restarts for the next run */
    tg_init(&of_graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_string_equal(OUT, "blocking 0\nblocking 1\n");
}

/* real time: reports keep their interval while only an offloaded call is pending */
static long block130 = 130;

#define AGDF_OUT_MAKE() ((char)0)
static int of_once(agdf_task *t, agdf_io *io)
{
    srctask *self = (srctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    AGDF_OFFLOAD(block_ms, &block130);
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const agdf_node_def of1_nodes[] = {
    NODE0("once", of_once, srctask, 1, 1, 0, -1),
};
static const agdf_graph_def of1_graph = {"offload1", 1, of1_nodes, 0, 10};

static void test_real_time_logging_while_offloaded(void **state)
{
    const char *p;
    int lines = 0;
    (void)state;
    tg_init(&of1_graph);
    agdf_set_data_flow_logging(&G, 50, NULL, "{node} {in}");
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_run(&G), AGDF_OK);
    for (p = LOG; (p = strstr(p, "once 0\n")) != NULL; p++)
        lines++;
    assert_true(lines >= 2 && lines <= 3);
}

/* ---------------------------------------------------------------- step and waits */

static void test_step_reports_deadline(void **state)
{
    static const int ms[] = {40};
    int64_t wait = 0;
    int r, waits = 0;
    (void)state;
    tg_init(&dl_graph);
    assert_int_equal(agdf_start(&G, 0, &ms[0]), 0);
    while ((r = agdf_step(&G, 100, &wait)) != AGDF_STEP_DONE) {
        if (r == AGDF_STEP_WAIT) {
            assert_true(wait > 0 && wait <= 40);
            waits++;
            agdf_wait(&G, wait);
        }
    }
    assert_true(waits >= 1);
    assert_int_equal(strncmp(OUT, "40 by task 0 at ", 16), 0);

    /* virtual time: the step never waits, the clock jumps */
    tg_init(&dl_graph);
    agdf_set_virtual_time(&G, 1);
    assert_int_equal(agdf_start(&G, 0, &ms[0]), 0);
    while ((r = agdf_step(&G, 1, &wait)) != AGDF_STEP_DONE)
        assert_int_equal(r, AGDF_STEP_READY);
    assert_int_equal(agdf_now_ms(&G), 40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_max_tasks_1_vs_5),
        cmocka_unit_test(test_equal_deadlines_fifo),
        cmocka_unit_test(test_data_flow_logging),
        cmocka_unit_test(test_fd_wait_pipe),
        cmocka_unit_test(test_fd_not_starved),
        cmocka_unit_test(test_offload_interleaving),
        cmocka_unit_test(test_real_time_logging_while_offloaded),
        cmocka_unit_test(test_step_reports_deadline),
    };
    return cmocka_run_group_tests_name("runtime time, fds, offload", tests, NULL, NULL);
}
