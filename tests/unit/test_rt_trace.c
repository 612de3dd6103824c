/*
** test_rt_trace.c — the tracer's formatting, read back from the file: JSON
** string escapes (quotes, backslashes, control characters, multi-byte UTF-8
** kept, a cut or invalid sequence as U+FFFD) in a raise message and a node
** name, timestamps as microseconds with three decimals on the virtual clock,
** the calls array overflowing (counted and reported, never silently dropped),
** a second open refused, and a write error reported once by the close.  The
** whole-program checks (tracks, counters, slices against statistics) are
** tests/trace/run.sh.
*/
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_rt_util.h"
#include "agdf_internal.h"

typedef struct { agdf_task agdf; char agdf_in; int agdf_out; int i; } srctask;
typedef struct { agdf_task agdf; int agdf_in; char agdf_out; } sinktask;

#define AGDF_OUT_MAKE(...) (__VA_ARGS__)
static int src(agdf_task *t, agdf_io *io)
{
    srctask *self = (srctask *)(void *)t;
    (void)io;
    AGDF_BEGIN(self);
    for (self->i = 1; self->i <= 3; self->i++)
        AGDF_YIELD(self->i);
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

#define AGDF_OUT_MAKE() ((char)0)
static int sink(agdf_task *t, agdf_io *io)
{
    sinktask *self = (sinktask *)(void *)t;
    AGDF_BEGIN(self);
    AGDF_SLEEP(2);
    if (IN(self) == 2)
        AGDF_RAISE("q\"b\\s\x01 \xc3\xa9 \xf0\x9f\x98\x80 \xff cut\xe2\x82");
    AGDF_YIELD();
    AGDF_END(self);
}
#undef AGDF_OUT_MAKE

static const uint32_t d0[] = {1};
static const agdf_node_def nodes[] = {
    NODE("src", src, srctask, 1, 4, 0, -1, d0),
    NODE0("we\"ird", sink, sinktask, 2, 4, sizeof(int), -1),
};
static const agdf_graph_def graph = {"traced", 2, nodes, 0, 4};

static char path[64];
static char text[1 << 16];

static void read_back(void)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    assert_non_null(f);
    n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
}

static int setup(void **state)
{
    int fd;

    (void)state;
    snprintf(path, sizeof path, "/tmp/test_rt_trace.XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static void expect_text(const char *s)
{
    if (!strstr(text, s))
        print_error("not in the trace: %s\n--- trace:\n%s\n", s, text);
    assert_non_null(strstr(text, s));
}

static void test_escapes_and_times(void **state)
{
    (void)state;
    tg_init(&graph);
    agdf_set_virtual_time(&G, 1);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    assert_int_equal(agdf_trace_open(&G, path), 0);
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    assert_int_equal(agdf_trace_close(), 0);
    assert_int_equal(agdf_trace_close(), 0);        /* closed: nothing to do */
    read_back();
    expect_text("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
    expect_text("\"args\":{\"name\":\"we\\\"ird[1]\"}");
    expect_text("\"message\":\"q\\\"b\\\\s\\u0001 \xc3\xa9 \xf0\x9f\x98\x80 \\ufffd cut\\ufffd\\ufffd\"");
    /* the raise comes after the 2 ms virtual sleep: ts 2000.000 us */
    expect_text("{\"ph\":\"i\",\"name\":\"raise\",\"pid\":1,\"tid\":3,\"ts\":2000.000,\"s\":\"t\"");
    expect_text("{\"ph\":\"X\",\"name\":\"src\",\"pid\":1,\"tid\":1,\"ts\":0.000,\"dur\":0.000,"
                "\"args\":{\"out\":3}}");
    assert_true(strlen(text) > 4 && strcmp(text + strlen(text) - 4, "\n]}\n") == 0);
}

static void test_calls_overflow_is_counted(void **state)
{
    agdf_task *t;
    int i;

    (void)state;
    tg_init(&graph);
    t = (agdf_task *)tg_mem[1].tasks;
    assert_int_equal(agdf_trace_open(&G, path), 0);
    assert_int_equal(agdf_trace_open(&G, path), -1);  /* one trace at a time */
    assert_int_equal(errno, EBUSY);
    for (i = 0; i < AGDF_TRACE_CALLS + 5; i++)
        agdf__trace_call(t, 0, 1000, 3500);
    assert_int_equal(agdf_trace_close(), 0);
    read_back();
    expect_text("\"args\":{\"name\":\"offload worker[0]\"}");
    expect_text("{\"ph\":\"i\",\"name\":\"offload calls not traced\"");
    expect_text("\"args\":{\"lost\":5}}");
    expect_text("\"cat\":\"offload\",\"ts\":");
    expect_text(",\"dur\":2.500,\"args\":{\"task\":0}}");
}

static void test_write_error_reported_once(void **state)
{
    (void)state;
    tg_init(&graph);
    assert_int_equal(agdf_start(&G, 0, NULL), 0);
    if (agdf_trace_open(&G, "/dev/full") != 0)
        skip();
    assert_int_equal(agdf_run(&G), AGDF_ERRORS);
    assert_int_equal(agdf_trace_close(), -1);
    expect_stats(1, 3, 2, 1);
    assert_non_null(strstr(LOG, "ERROR:agdf: trace /dev/full: "));
    assert_null(strstr(strstr(LOG, "ERROR:agdf: trace /dev/full: ") + 1, "ERROR:agdf: trace"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_escapes_and_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calls_overflow_is_counted, setup, teardown),
        cmocka_unit_test(test_write_error_reported_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
