/*
** test_rt_mt_idle.c — a threaded graph that waits uses no CPU: a node on
** thread 1 sleeps 300 ms and nothing else is ready anywhere, so thread 0 sleeps
** on its bell and thread 1 on its timer; the process's CPU time (getrusage,
** user + system, every thread) over the whole run stays under 20 ms.  Then a
** graph on two threads that is idle from the start (no start item) ends at
** once.  A test binary of its own, so that no other test's threads count.
*/
#include <sys/resource.h>
#include <time.h>

#include "test_rt_mt_util.h"

typedef struct { agdf_task agdf; uint32_t agdf_in; uint32_t agdf_out; } nap_t;

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)

static int nap_body(agdf_task *t, agdf_io *io)
{
    nap_t *self = (nap_t *)(void *)t;
    AGDF_BEGIN(self);
    CNT[1]++;
    AGDF_SLEEP(IN(self));
    AGDF_YIELD(IN(self));
    AGDF_END(self);
}

static int sink_body(agdf_task *t, agdf_io *io)
{
    nap_t *self = (nap_t *)(void *)t;
    AGDF_BEGIN(self);
    CNT[2]++;
    SUM[2] += IN(self);
    AGDF_END(self);
}

static int start_body(agdf_task *t, agdf_io *io)
{
    nap_t *self = (nap_t *)(void *)t;
    AGDF_BEGIN(self);
    CNT[0]++;
    AGDF_YIELD(IN(self));
    AGDF_END(self);
}


static int64_t cpu_us(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
           ru.ru_stime.tv_usec;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void graph(void)
{
    MT_NODE(0, "start", start_body, nap_t, 1, 1, 0, 1);
    MT_NODE(1, "nap", nap_body, nap_t, 1, 1, 1, 2);
    MT_NODE(2, "sink", sink_body, nap_t, 1, 1, 0, MT_NONE);
    mt_graph(3, 4, 2);
}

static void test_idle_threads_use_no_cpu(void **state)
{
    uint32_t ms = 300;
    int64_t cpu, wall;
    (void)state;
    graph();
    assert_int_equal(agdf_start(&G, 0, &ms), 0);
    cpu = cpu_us();
    wall = wall_ms();
    assert_int_equal(agdf_run(&G), AGDF_OK);
    wall = wall_ms() - wall;
    cpu = cpu_us() - cpu;
    print_message("300 ms asleep on thread 1: %lld ms of wall time, %lld us of CPU\n",
                  (long long)wall, (long long)cpu);
    assert_true(wall >= 300);
    assert_true(cpu < 20000);
    assert_true(CNT[1] == 1 && CNT[2] == 1 && SUM[2] == 300);
}

static void test_idle_from_the_start(void **state)
{
    int64_t wall = wall_ms();
    (void)state;
    graph();
    assert_int_equal(agdf_run(&G), AGDF_OK);
    assert_true(wall_ms() - wall < 1000);
    assert_true(CNT[0] == 0 && CNT[1] == 0 && CNT[2] == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_threads_use_no_cpu),
        cmocka_unit_test(test_idle_from_the_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
